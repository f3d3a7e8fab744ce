#include "server/core/remote_members.hpp"

namespace chat {
namespace {

template <typename Map, typename Key>
void erase_if_empty(Map& map, const Key& key) {
  const auto found = map.find(key);
  if (found != map.end() && found->second.empty()) map.erase(found);
}

}  // namespace

bool RemoteMembers::joined(const std::string& room, const std::string& user, const std::string& node) {
  Nodes& nodes = rooms_[room][user];
  const bool arrived = nodes.empty();
  nodes.insert(node);
  rooms_of_[user].insert(room);
  return arrived;
}

// Only the node that announced the user takes them out: a guest who moved to another node
// (resumed there) is not removed by the old node's late goodbye.
bool RemoteMembers::left(const std::string& room, const std::string& user, const std::string& node) {
  const auto members = rooms_.find(room);
  if (members == rooms_.end()) return false;
  const auto found = members->second.find(user);
  if (found == members->second.end() || found->second.erase(node) == 0) return false;
  if (!found->second.empty()) return false;  // still on another node
  members->second.erase(found);
  erase_if_empty(rooms_, room);
  rooms_of_[user].erase(room);
  erase_if_empty(rooms_of_, user);
  return true;
}

void RemoteMembers::room_gone(const std::string& room) {
  const auto members = rooms_.find(room);
  if (members == rooms_.end()) return;
  for (const auto& [user, nodes] : members->second) {
    rooms_of_[user].erase(room);
    erase_if_empty(rooms_of_, user);
  }
  rooms_.erase(members);
}

void RemoteMembers::forget_user(const std::string& user) {
  const auto rooms = rooms_of_.find(user);
  if (rooms == rooms_of_.end()) return;
  for (const auto& room : rooms->second) {
    rooms_[room].erase(user);
    erase_if_empty(rooms_, room);
  }
  rooms_of_.erase(rooms);
}

bool RemoteMembers::present(const std::string& room, const std::string& user) const {
  const auto members = rooms_.find(room);
  return members != rooms_.end() && members->second.count(user) > 0;
}

std::vector<std::string> RemoteMembers::rooms_of(const std::string& user) const {
  const auto rooms = rooms_of_.find(user);
  if (rooms == rooms_of_.end()) return {};
  return std::vector<std::string>(rooms->second.begin(), rooms->second.end());
}

const std::map<std::string, RemoteMembers::Nodes>* RemoteMembers::in(const std::string& room) const {
  const auto found = rooms_.find(room);
  return found == rooms_.end() ? nullptr : &found->second;
}

}  // namespace chat
