// Rooms are taken in creation order (the store lists them so), which is what makes "first created
// keeps the name" deterministic from one start to the next.
#include "server/core/stored_names.hpp"

#include <cstdio>

#include "server/core/room_registry.hpp"
#include "server/names/name_index.hpp"
#include "server/names/name_rules.hpp"
#include "shared/ignorable.hpp"
#include "shared/utf8.hpp"

namespace chat {
namespace {

// A name as a log can show it: characters that would reorder or hide the rest of the line are
// written as <U+XXXX>.
std::string printable(const std::string& name) {
  std::string out;
  std::size_t pos = 0;
  while (pos < name.size()) {
    const std::size_t start = pos;
    const auto c = utf8::decode_next(name, pos);
    if (!c) {
      out += "<bad byte>";
      ++pos;
      continue;
    }
    if (*c < 0x20 || (*c >= 0x7F && *c <= 0x9F) || is_default_ignorable(*c)) {
      char text[16];
      std::snprintf(text, sizeof text, "<U+%04X>", static_cast<unsigned>(*c));
      out += text;
    } else {
      out.append(name, start, pos - start);
    }
  }
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "'" : ", '") + printable(name) + "'";
  return out;
}

}  // namespace

NameMigration migrate_stored_names(const StoredState& stored, const Limits& limits) {
  NameMigration result;
  NameIndex<std::string> rooms;  // owner: the room kept under those keys
  rooms.add(name_keys(RoomRegistry::kGeneralName), std::string(RoomRegistry::kGeneralName));
  for (const auto& room : stored.rooms) {
    // A conversation's name breaks every rule on purpose (no person can type it) and collides
    // with nothing (the registry gives it no keys): kept as it is.
    if (room.name == RoomRegistry::kGeneralName || is_dm_room_name(room.name)) {
      result.state.rooms.push_back(room);
      continue;
    }
    const NameKeys keys = name_keys(room.name);
    if (check_room(room.name, limits) || rooms.holder(keys)) {
      result.hidden_rooms.push_back(room.name);
      continue;
    }
    rooms.add(keys, room.name);
    result.state.rooms.push_back(room);
  }
  for (const auto& token : stored.tokens) {
    if (check_name(token.user, limits)) {
      result.dropped_users.push_back(token.user);
      continue;
    }
    result.state.tokens.push_back(token);
  }
  return result;
}

std::string NameMigration::summary() const {
  if (hidden_rooms.empty() && dropped_users.empty()) return "";
  std::string line = "names: stored names under today's rules (docs/PROTOCOL.md, Names):";
  if (!hidden_rooms.empty()) {
    line += " " + std::to_string(hidden_rooms.size()) +
            " room(s) hidden, their names refused or colliding with an older room: " + listed(hidden_rooms) + ";";
  }
  if (!dropped_users.empty()) {
    line += " " + std::to_string(dropped_users.size()) + " resume token(s) dropped, their names refused: " +
            listed(dropped_users) + ";";
  }
  line.pop_back();
  return line;
}

}  // namespace chat
