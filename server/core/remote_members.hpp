// RemoteMembers: who is in which room on the cluster's other nodes, as their announcements tell
// (the engine's inbox). With this node's own members it makes a room's member list; a node that
// died takes its members with it. Bounded by what the other nodes hold: each user is in one room.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace chat {

class RemoteMembers {
 public:
  // False if nothing changed (a repeat).
  bool joined(const std::string& room, const std::string& user, const std::string& node);
  bool left(const std::string& room, const std::string& user, const std::string& node);
  void room_gone(const std::string& room);
  // The user is now this node's (resumed or logged in here): no longer another node's member.
  void forget_user(const std::string& user);
  const std::map<std::string, std::string>* in(const std::string& room) const;  // user -> node

 private:
  std::unordered_map<std::string, std::map<std::string, std::string>> rooms_;
  std::unordered_map<std::string, std::string> room_of_;  // user -> room
};

}  // namespace chat
