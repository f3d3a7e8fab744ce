// RemoteMembers: who is in which room on the cluster's other nodes, as their announcements tell
// (the engine's inbox). With this node's own members it makes a room's member list; a node that
// died takes its members with it. An account may be in a room on several nodes at once (a laptop
// on one, a phone on another), so each person in a room is kept with the set of nodes they are on:
// they arrive with the first node and leave with the last. Bounded by what the other nodes hold.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace chat {

class RemoteMembers {
 public:
  using Nodes = std::set<std::string>;

  // True if the user was on no other node in the room before (the person arrived).
  bool joined(const std::string& room, const std::string& user, const std::string& node);
  // True if that node was the user's last in the room (the person left).
  bool left(const std::string& room, const std::string& user, const std::string& node);
  void room_gone(const std::string& room);
  // A guest now this node's (logged in or resumed here): an entry for them on another node is a
  // stale one (its goodbye lost with the node), since a guest's name has one holder in the cluster.
  void forget_user(const std::string& user);
  bool present(const std::string& room, const std::string& user) const;
  std::vector<std::string> rooms_of(const std::string& user) const;  // where the user is on another node
  const std::map<std::string, Nodes>* in(const std::string& room) const;  // user -> their nodes

 private:
  std::unordered_map<std::string, std::map<std::string, Nodes>> rooms_;
  std::unordered_map<std::string, std::set<std::string>> rooms_of_;  // user -> rooms they are in
};

}  // namespace chat
