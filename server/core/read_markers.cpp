#include "server/core/read_markers.hpp"

#include <algorithm>

namespace chat {

bool ReadMarkers::hold(AccountId account) { return accounts_.try_emplace(account).second; }

bool ReadMarkers::loading(AccountId account) const {
  const auto found = accounts_.find(account);
  return found != accounts_.end() && found->second.loading;
}

bool ReadMarkers::loaded(AccountId account, const std::vector<ReadMarker>& stored) {
  const auto found = accounts_.find(account);
  if (found == accounts_.end()) return false;
  for (const ReadMarker& read : stored) {
    raise_read(account, read.room, read.last_read_id);
    raise_mention(account, read.room, read.last_mention_id, false);
  }
  return std::exchange(found->second.loading, false);
}

void ReadMarkers::forget(AccountId account) {
  const auto found = accounts_.find(account);
  if (found == accounts_.end()) return;
  for (const auto& [room, marker] : found->second.rooms) {
    const auto followers = followers_.find(room);
    if (followers == followers_.end()) continue;
    followers->second.erase(account);
    if (followers->second.empty()) followers_.erase(followers);
  }
  accounts_.erase(found);
}

void ReadMarkers::follow(AccountId account, const std::string& room) { marker(account, room); }

void ReadMarkers::unfollow(AccountId account, const std::string& room) {
  const auto found = accounts_.find(account);
  if (found == accounts_.end() || found->second.rooms.erase(room) == 0) return;
  const auto followers = followers_.find(room);
  if (followers == followers_.end()) return;
  followers->second.erase(account);
  if (followers->second.empty()) followers_.erase(followers);
}

void ReadMarkers::forget_room(const std::string& room) {
  const auto followers = followers_.find(room);
  if (followers == followers_.end()) return;
  for (const AccountId account : followers->second) accounts_.at(account).rooms.erase(room);
  followers_.erase(followers);
}

void ReadMarkers::reset_room(const std::string& room) {
  for (const AccountId account : followers(room)) accounts_.at(account).rooms.at(room) = Marker{};
}

bool ReadMarkers::raise_read(AccountId account, const std::string& room, std::int64_t id) {
  Marker* found = marker(account, room);
  if (!found || found->last_read_id >= id) return false;
  found->last_read_id = id;
  return true;
}

bool ReadMarkers::raise_mention(AccountId account, const std::string& room, std::int64_t id, bool public_room) {
  const bool is_new = find(account, room) == nullptr;
  Marker* found = marker(account, room);
  if (!found || found->last_mention_id >= id) return false;
  if (is_new && public_room) found->last_read_id = id - 1;
  found->last_mention_id = id;
  return true;
}

const Marker* ReadMarkers::find(AccountId account, const std::string& room) const {
  const auto found = accounts_.find(account);
  if (found == accounts_.end()) return nullptr;
  const auto in_room = found->second.rooms.find(room);
  return in_room == found->second.rooms.end() ? nullptr : &in_room->second;
}

const std::map<std::string, Marker>& ReadMarkers::rooms_of(AccountId account) const {
  static const std::map<std::string, Marker> kNone;
  const auto found = accounts_.find(account);
  return found == accounts_.end() ? kNone : found->second.rooms;
}

const std::unordered_set<AccountId>& ReadMarkers::followers(const std::string& room) const {
  static const std::unordered_set<AccountId> kNone;
  const auto found = followers_.find(room);
  return found == followers_.end() ? kNone : found->second;
}

Marker* ReadMarkers::marker(AccountId account, const std::string& room) {
  const auto found = accounts_.find(account);
  if (found == accounts_.end()) return nullptr;
  const auto [entry, added] = found->second.rooms.try_emplace(room);
  if (added) followers_[room].insert(account);
  return &entry->second;
}

}  // namespace chat
