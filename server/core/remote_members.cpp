#include "server/core/remote_members.hpp"

namespace chat {

bool RemoteMembers::joined(const std::string& room, const std::string& user, const std::string& node) {
  auto& members = rooms_[room];
  const auto found = members.find(user);
  if (found != members.end() && found->second == node) return false;
  const auto before = room_of_.find(user);
  if (before != room_of_.end() && before->second != room) {
    const std::string previous = before->second;  // a join is also a leave (a late "left" lost)
    rooms_[previous].erase(user);
    if (rooms_[previous].empty()) rooms_.erase(previous);
  }
  members[user] = node;
  room_of_[user] = room;
  return true;
}

void RemoteMembers::room_gone(const std::string& room) {
  const auto members = rooms_.find(room);
  if (members == rooms_.end()) return;
  for (const auto& [user, node] : members->second) room_of_.erase(user);
  rooms_.erase(members);
}

void RemoteMembers::forget_user(const std::string& user) {
  const auto room = room_of_.find(user);
  if (room == room_of_.end()) return;
  const auto members = rooms_.find(room->second);
  if (members != rooms_.end()) {
    members->second.erase(user);
    if (members->second.empty()) rooms_.erase(members);
  }
  room_of_.erase(room);
}

// Only the node that announced the user may take them out: a user who moved to another node
// (resumed there) is not removed by the old node's late goodbye.
bool RemoteMembers::left(const std::string& room, const std::string& user, const std::string& node) {
  const auto members = rooms_.find(room);
  if (members == rooms_.end()) return false;
  const auto found = members->second.find(user);
  if (found == members->second.end() || found->second != node) return false;
  members->second.erase(found);
  if (members->second.empty()) rooms_.erase(members);
  room_of_.erase(user);
  return true;
}

const std::map<std::string, std::string>* RemoteMembers::in(const std::string& room) const {
  const auto found = rooms_.find(room);
  return found == rooms_.end() ? nullptr : &found->second;
}

}  // namespace chat
