#include "server/core/private_rooms.hpp"

#include <algorithm>

namespace chat {

void PrivateRooms::add_room(const std::string& room, AccountId owner, const std::vector<AccountId>& members) {
  if (rooms_.count(room) > 0) return;
  Room& added = rooms_[room];
  added.owner = owner;
  added.created = next_created_++;
  if (is_dm_room_name(room)) ++conversations_;
  for (const AccountId member : members) add_member(room, member);
}

void PrivateRooms::remove_room(const std::string& room) {
  const auto found = rooms_.find(room);
  if (found == rooms_.end()) return;
  for (const AccountId member : found->second.members) {
    const auto of = rooms_by_account_.find(member);
    if (of == rooms_by_account_.end()) continue;
    of->second.erase(room);
    if (of->second.empty()) rooms_by_account_.erase(of);
  }
  if (is_dm_room_name(room)) --conversations_;
  rooms_.erase(found);
}

bool PrivateRooms::is_member(const std::string& room, AccountId account) const {
  if (account == 0) return false;
  const auto of = rooms_by_account_.find(account);
  return of != rooms_by_account_.end() && of->second.count(room) > 0;
}

AccountId PrivateRooms::owner(const std::string& room) const {
  const auto found = rooms_.find(room);
  return found == rooms_.end() ? 0 : found->second.owner;
}

const std::vector<AccountId>& PrivateRooms::members(const std::string& room) const {
  static const std::vector<AccountId> kNone;
  const auto found = rooms_.find(room);
  return found == rooms_.end() ? kNone : found->second.members;
}

bool PrivateRooms::full(const std::string& room, std::size_t max_members) const {
  return members(room).size() >= max_members;
}

bool PrivateRooms::add_member(const std::string& room, AccountId account) {
  const auto found = rooms_.find(room);
  if (found == rooms_.end() || account == 0 || is_member(room, account)) return false;
  found->second.members.push_back(account);
  rooms_by_account_[account].insert(room);
  return true;
}

bool PrivateRooms::remove_member(const std::string& room, AccountId account) {
  const auto found = rooms_.find(room);
  if (found == rooms_.end() || !is_member(room, account)) return false;
  auto& members = found->second.members;
  members.erase(std::find(members.begin(), members.end(), account));
  auto& of = rooms_by_account_[account];
  of.erase(room);
  if (of.empty()) rooms_by_account_.erase(account);
  return true;
}

std::vector<std::string> PrivateRooms::rooms_of(AccountId account) const {
  std::vector<std::string> rooms;
  const auto of = rooms_by_account_.find(account);
  if (of == rooms_by_account_.end()) return rooms;
  rooms.assign(of->second.begin(), of->second.end());
  std::sort(rooms.begin(), rooms.end(),
            [this](const std::string& a, const std::string& b) { return rooms_.at(a).created < rooms_.at(b).created; });
  return rooms;
}

}  // namespace chat
