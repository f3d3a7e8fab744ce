// The Redis forms of the cluster's shared state other than lines: rooms (a hash of records and a
// hash of their name keys, so look-alike names stay unique across nodes), resume tokens (a hash),
// and the pub/sub messages that tell every node of a change. Pure, never throws; a malformed value
// decodes to nullopt (the caller logs and skips it). See docs/CLUSTER.md.
//
// Room record (field = room name):  <created_ms>:<creator>
// Room event:                       +<created_ms>:<name byte length>:<name><creator>   or   -<name>
// Token record (field = token id):  <last_used_ms>:<secret hash>:<user>
// Token event:                      +<id>:<last_used_ms>:<secret hash>:<user>   or   -<id>
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "server/ports/store.hpp"

namespace chat::redis {

// KEYS: rooms hash, room keys hash. ARGV: name, identity key, skeleton key, record, channel, event.
// Returns 1 (created, event published) or 0 (the name or a look-alike exists).
extern const char* const kCreateRoomScript;
// KEYS: rooms hash, room keys hash, room meta, room stream, room members. ARGV: name, identity key, skeleton key,
// channel, event. Returns 1 (deleted with its lines, event published) or 0 (no such room).
extern const char* const kDeleteRoomScript;

std::string encode_room_record(const StoredRoom& room);
std::optional<StoredRoom> decode_room_record(std::string_view name, std::string_view record);

struct RoomDeleted {
  std::string name;
};
using RoomEvent = std::variant<StoredRoom, RoomDeleted>;
std::string encode_room_created(const StoredRoom& room);
std::string encode_room_deleted(const std::string& name);
std::optional<RoomEvent> decode_room_event(std::string_view payload);

std::string encode_token_record(const StoredToken& token);
std::optional<StoredToken> decode_token_record(std::string_view id, std::string_view record);

struct TokenDeleted {
  std::string id;
};
using TokenEvent = std::variant<StoredToken, TokenDeleted>;
std::string encode_token_saved(const StoredToken& token);
std::string encode_token_deleted(const std::string& id);
std::optional<TokenEvent> decode_token_event(std::string_view payload);

}  // namespace chat::redis
