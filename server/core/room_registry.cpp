// Membership uses swap-remove: leaving moves the room's last member into the hole, which keeps
// both removal and broadcast iteration O(1) per member at the cost of member order, which no one
// relies on.
#include "server/core/room_registry.hpp"

namespace chat {

RoomRegistry::RoomRegistry() { create(std::string(kGeneralName)); }

std::optional<RoomId> RoomRegistry::find(std::string_view name) const {
  const auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

RoomId RoomRegistry::create(std::string name) {
  const auto id = static_cast<RoomId>(names_.size());
  ids_.emplace(name, id);
  names_.push_back(std::move(name));
  members_.emplace_back();
  return id;
}

void RoomRegistry::place(SessionId session, RoomId room) {
  remove(session);
  auto& members = members_[room];
  seats_[session] = Seat{room, members.size()};
  members.push_back(session);
}

void RoomRegistry::remove(SessionId session) {
  const auto it = seats_.find(session);
  if (it == seats_.end()) return;
  auto& members = members_[it->second.room];
  const std::size_t hole = it->second.index;
  const SessionId moved = members.back();
  members[hole] = moved;
  members.pop_back();
  if (moved != session) seats_[moved].index = hole;
  seats_.erase(it);
}

std::optional<RoomId> RoomRegistry::room_of(SessionId session) const {
  const auto it = seats_.find(session);
  if (it == seats_.end()) return std::nullopt;
  return it->second.room;
}

}  // namespace chat
