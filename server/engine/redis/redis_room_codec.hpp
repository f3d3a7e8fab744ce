// The Redis forms of the cluster's rooms: a hash of records and a hash of their name keys (so
// look-alike names stay unique across nodes), each private room's members, the scripts that change
// them atomically, and the pub/sub events that tell every node of a change. Pure, never throws; a
// malformed value decodes to nullopt (the caller logs and skips it). See docs/CLUSTER.md.
//
// Room record (field = room name):  <created_ms>:<creator>, then for a private room \x1fp<owner>
//   (owner 0: a direct conversation; the mark is a control character, which no name may hold)
// Room event:                       +<created_ms>:<name byte length>:<name><creator>, then for a
//   private room \x1fp<owner>\x1fm<member>,<member>,...   or   -<name>
// Member event (same channel):      a<account>:<room> (added)   or   r<account>:<room> (removed)
// A private room's members: the sorted set chat:roommembers:<room>, score = order of addition.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/engine/redis/redis_reply.hpp"
#include "server/names/name_keys.hpp"
#include "server/ports/store.hpp"

namespace chat::redis {

// KEYS: rooms hash, room keys hash, the room's members set. ARGV: name, identity key, skeleton key
// (both empty for a direct conversation, whose name no person can type: it takes no name keys),
// record, channel, event, then a private room's members in order. Returns 1 (created, event
// published), 0 (a look-alike exists), or {record, members} of the room when the name itself
// exists (so that the caller can report it before answering: see decode_existing_room).
extern const char* const kCreateRoomScript;
// KEYS: rooms hash, room keys hash, room meta, room stream, room presence hash, room members set,
// the set of accounts with a read marker there. ARGV: name, identity key, skeleton key (empty for
// a conversation), channel, event, the accounts' marker hashes' key prefix. Returns 1 (deleted
// with its lines, members and read markers, event published) or 0 (no such room). (It writes
// marker hashes it was not given as keys: fine on one Redis, not on Redis Cluster.)
extern const char* const kDeleteRoomScript;
// KEYS: rooms hash, the room's members set. ARGV: name, account id, channel, event. Returns 1 (the
// member is (still) there or gone, and the event published either way: idempotent) or 0 (no such room).
extern const char* const kAddRoomMemberScript;
extern const char* const kRemoveRoomMemberScript;
// KEYS: rooms hash. ARGV: the members sets' key prefix. Every room's record and, for each private
// room, its members in order, in one atomic read: {HGETALL of the rooms hash, name, members,
// name, members, ...}. (It reads keys it was not given: fine on one Redis, not on Redis Cluster.)
extern const char* const kReadRoomsScript;

// The name keys a room takes in the room keys hash: none (empty) for a direct conversation.
NameKeys room_name_keys(const std::string& name);

std::string encode_room_record(const StoredRoom& room);
std::optional<StoredRoom> decode_room_record(std::string_view name, std::string_view record);
// A members set's ZRANGE (account ids in order); nullopt when an id is malformed.
std::optional<std::vector<AccountId>> decode_room_members(const RedisReply& reply);
// The creation script's {record, members} answer: the room that exists under that name.
std::optional<StoredRoom> decode_existing_room(const std::string& name, const RedisReply& reply);
// kReadRoomsScript's answer: every room with a well-formed record, a private one with its members
// (`skipped` counts the malformed ones); nullopt when the answer is not of the script's shape.
std::optional<std::vector<StoredRoom>> decode_rooms_snapshot(const RedisReply& reply, std::size_t& skipped);

struct RoomDeleted {
  std::string name;
};
struct RoomMemberChanged {
  std::string room;
  AccountId account = 0;
  bool added = true;
};
using RoomEvent = std::variant<StoredRoom, RoomDeleted, RoomMemberChanged>;
std::string encode_room_created(const StoredRoom& room);
std::string encode_room_deleted(const std::string& name);
std::string encode_room_member_changed(const RoomMemberChanged& change);
std::optional<RoomEvent> decode_room_event(std::string_view payload);

// Between a room record's creator and its private part, and before an event's members.
constexpr char kRoomPrivateMark = '\x1f';
// Most members a room event or members set may list (the core caps them far lower).
constexpr std::size_t kMaxDecodedMembers = 100'000;

}  // namespace chat::redis
