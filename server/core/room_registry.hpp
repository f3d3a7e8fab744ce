// Rooms and their members, indexed both ways (room -> members, session -> room) so that joining,
// leaving and enumerating one room's members cost O(1) or O(members). Room names are unique by both
// keys of name_keys() ("Général" and "general" are one room), but found by their exact spelling.
// A direct conversation's room (dm_room_name) is found by its exact name only: it has no keys, so
// no room a person creates can collide with it, whatever name_keys makes of its control character.
// Knows nothing of nicknames, frames or sending.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/names/name_index.hpp"
#include "server/ports/store.hpp"
#include "server/ports/transport.hpp"

namespace chat {

// A slot in the registry. A removed room's slot is reused by a later room, under a new generation:
// work begun for a room (a line being stored) checks the generation before it is delivered.
using RoomId = std::uint32_t;

class RoomRegistry {
 public:
  static constexpr RoomId kGeneral = 0;
  static constexpr std::string_view kGeneralName = "general";

  RoomRegistry();

  // The room spelled exactly `name`.
  std::optional<RoomId> find(std::string_view name) const;
  // True if a room, or a creation held below, has a name colliding with `name` (either key).
  bool in_use(std::string_view name) const;
  // Keeps `name` taken while its creation is being stored; false (nothing held) if it is in use.
  bool hold(std::string_view name);
  void unhold(std::string_view name);
  // The name must not be in use by another room (check with in_use, or hold it first).
  RoomId create(std::string name);
  // The room must have no members left (move them first); general is never removed.
  void remove_room(RoomId room);
  const std::string& name(RoomId room) const { return names_[room]; }
  std::uint32_t generation(RoomId room) const { return generations_[room]; }
  // Every room name, general first, then in order of creation.
  std::vector<std::string> names() const;
  std::size_t count() const { return ids_.size(); }

  // Places a session in a room, moving it out of its previous room if it had one.
  void place(SessionId session, RoomId room);
  void remove(SessionId session);
  std::optional<RoomId> room_of(SessionId session) const;
  const std::vector<SessionId>& members(RoomId room) const { return members_[room]; }

  // Lists a placed session among its room's listeners too, wherever it goes from now on: the
  // members that want presence (version 2). Announcing to a room then costs O(listeners), not a
  // scan of every member, which made each of 10 000 logins into general a 10 000-member scan.
  void listen(SessionId session);
  const std::vector<SessionId>& listeners(RoomId room) const { return listeners_[room]; }

 private:
  static constexpr std::size_t kNotListening = static_cast<std::size_t>(-1);
  static constexpr RoomId kBeingCreated = static_cast<RoomId>(-1);  // owner of held names
  struct Seat {
    RoomId room;
    std::size_t index;           // position in members_[room], kept exact by swap-remove
    std::size_t listener_index;  // position in listeners_[room], or kNotListening
  };

  std::vector<std::string> names_;             // by RoomId; empty for a free slot
  std::vector<std::uint32_t> generations_;      // by RoomId; bumped when the slot is freed
  std::vector<std::uint64_t> creation_order_;   // by RoomId, for names()
  std::uint64_t next_creation_ = 0;
  std::vector<RoomId> free_slots_;
  std::unordered_map<std::string, RoomId> ids_;
  NameIndex<RoomId> keys_;
  std::vector<std::vector<SessionId>> members_;
  std::vector<std::vector<SessionId>> listeners_;
  std::unordered_map<SessionId, Seat> seats_;
};

}  // namespace chat
