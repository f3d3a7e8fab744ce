// What a stored state (rooms, resume tokens) becomes under today's name rules, before it is
// restored: stores written before the rules tightened may hold names now refused or colliding.
// Decides only; the store is not changed, so the same decision is taken at every start.
#pragma once

#include <string>
#include <vector>

#include "server/ports/store.hpp"
#include "shared/limits.hpp"

namespace chat {

struct NameMigration {
  StoredState state;                       // what to restore
  std::vector<std::string> hidden_rooms;   // stored rooms left out, in order of creation
  std::vector<std::string> dropped_users;  // users of resume tokens left out (one entry per token)
  // One log line saying what was left out and why; empty when nothing was.
  std::string summary() const;
};

// Rooms: the first created keeps a name; a later room whose name collides with it (either key) or
// breaks today's rules is hidden: not listed, not joinable, its lines kept in the store. Direct
// conversations (dm_room_name) are always kept.
// Tokens: one whose user name breaks today's rules is dropped (resuming with it gets bad_token,
// its holder logs in again). Tokens of names that merely collide are kept: names are unique among
// the names in use, so resuming is refused with name_taken only while a look-alike is online.
NameMigration migrate_stored_names(const StoredState& stored, const Limits& limits);

}  // namespace chat
