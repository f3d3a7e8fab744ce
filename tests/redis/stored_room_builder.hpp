// A public room as the store holds it, for the Redis tests that create, encode or read rooms.
#pragma once

#include <cstdint>
#include <string>

#include "server/ports/store.hpp"

namespace chat_redis_test {

inline chat::StoredRoom public_room(const std::string& name, const std::string& creator, std::int64_t created_ms) {
  chat::StoredRoom room;
  room.name = name;
  room.creator = creator;
  room.created_ms = created_ms;
  return room;
}

}  // namespace chat_redis_test
