#include "server/core/private_rooms.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace chat {

namespace {

// The whole of `text` as a positive decimal id, or 0.
AccountId whole_id(std::string_view text) {
  AccountId id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size() && id > 0 ? id : 0;
}

}  // namespace

std::vector<AccountId> conversation_people(const std::string& room) {
  if (!is_dm_room_name(room)) return {};
  const std::string_view ids = std::string_view(room).substr(4);
  const std::size_t colon = ids.find(':');
  if (colon == std::string_view::npos) return {};
  const AccountId low = whole_id(ids.substr(0, colon));
  const AccountId high = whole_id(ids.substr(colon + 1));
  if (low == 0 || high <= low) return {};
  return {low, high};
}

std::vector<std::string> newest_that_fit(const std::vector<std::string>& names, std::size_t limit, std::size_t used) {
  std::size_t budget = used < limit ? limit - used : 0;
  std::size_t first = names.size();
  for (; first > 0; --first) {
    const std::size_t cost = 2 * names[first - 1].size() + 3;  // every byte escaped at worst, quotes, comma
    if (cost > budget) break;
    budget -= cost;
  }
  return std::vector<std::string>(names.begin() + static_cast<std::ptrdiff_t>(first), names.end());
}

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

bool PrivateRooms::full(const std::string& room, std::size_t max_members, std::size_t joining) const {
  return members(room).size() + joining >= max_members;
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
