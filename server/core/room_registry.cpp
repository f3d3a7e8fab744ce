// Membership uses swap-remove: leaving moves the room's last member into the hole, which keeps
// both removal and broadcast iteration O(1) per member at the cost of member order, which no one
// relies on.
#include "server/core/room_registry.hpp"

#include <algorithm>

namespace chat {

RoomRegistry::RoomRegistry() { create(std::string(kGeneralName)); }

std::optional<RoomId> RoomRegistry::find(std::string_view name) const {
  const auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

bool RoomRegistry::in_use(std::string_view name) const { return keys_.holder(name_keys(name)).has_value(); }

bool RoomRegistry::hold(std::string_view name) {
  const NameKeys keys = name_keys(name);
  if (keys_.holder(keys)) return false;
  keys_.add(keys, kBeingCreated);
  return true;
}

void RoomRegistry::unhold(std::string_view name) { keys_.remove(name_keys(name), kBeingCreated); }

RoomId RoomRegistry::create(std::string name) {
  RoomId id;
  if (free_slots_.empty()) {
    id = static_cast<RoomId>(names_.size());
    names_.emplace_back();
    generations_.push_back(0);
    creation_order_.push_back(0);
    members_.emplace_back();
    listeners_.emplace_back();
  } else {
    id = free_slots_.back();
    free_slots_.pop_back();
  }
  ids_.emplace(name, id);
  if (!is_dm_room_name(name)) keys_.add(name_keys(name), id);
  names_[id] = std::move(name);
  creation_order_[id] = next_creation_++;
  return id;
}

void RoomRegistry::remove_room(RoomId room) {
  if (room == kGeneral) return;
  ids_.erase(names_[room]);
  if (!is_dm_room_name(names_[room])) keys_.remove(name_keys(names_[room]), room);
  names_[room].clear();
  ++generations_[room];
  free_slots_.push_back(room);
}

// O(rooms log rooms), which is why the caller encodes the list once per change.
std::vector<std::string> RoomRegistry::names() const {
  std::vector<RoomId> live;
  live.reserve(ids_.size());
  for (const auto& [name, id] : ids_) live.push_back(id);
  std::sort(live.begin(), live.end(), [this](RoomId a, RoomId b) { return creation_order_[a] < creation_order_[b]; });
  std::vector<std::string> names;
  names.reserve(live.size());
  for (const RoomId id : live) names.push_back(names_[id]);
  return names;
}

namespace {

// Fills the hole with the list's last entry; returns the entry that moved into it (the removed one
// itself when it was the last), whose recorded index the caller updates.
SessionId swap_remove(std::vector<SessionId>& list, std::size_t hole) {
  const SessionId moved = list.back();
  list[hole] = moved;
  list.pop_back();
  return moved;
}

}  // namespace

void RoomRegistry::place(SessionId session, RoomId room) {
  const auto it = seats_.find(session);
  const bool listening = it != seats_.end() && it->second.listener_index != kNotListening;
  remove(session);
  Seat seat{room, members_[room].size(), kNotListening};
  members_[room].push_back(session);
  if (listening) {
    seat.listener_index = listeners_[room].size();
    listeners_[room].push_back(session);
  }
  seats_[session] = seat;
}

void RoomRegistry::listen(SessionId session) {
  const auto it = seats_.find(session);
  if (it == seats_.end() || it->second.listener_index != kNotListening) return;
  auto& listeners = listeners_[it->second.room];
  it->second.listener_index = listeners.size();
  listeners.push_back(session);
}

void RoomRegistry::remove(SessionId session) {
  const auto it = seats_.find(session);
  if (it == seats_.end()) return;
  const Seat seat = it->second;
  seats_.erase(it);
  const SessionId moved = swap_remove(members_[seat.room], seat.index);
  if (moved != session) seats_[moved].index = seat.index;
  if (seat.listener_index == kNotListening) return;
  const SessionId moved_listener = swap_remove(listeners_[seat.room], seat.listener_index);
  if (moved_listener != session) seats_[moved_listener].listener_index = seat.listener_index;
}

std::optional<RoomId> RoomRegistry::room_of(SessionId session) const {
  const auto it = seats_.find(session);
  if (it == seats_.end()) return std::nullopt;
  return it->second.room;
}

}  // namespace chat
