// The Redis forms of the cluster's rooms: the scripts that create, delete and read them and change
// a private room's members, the room records, and the events that tell every node of a change.
#include "server/engine/redis/redis_room_codec.hpp"

#include <map>

#include "server/engine/redis/redis_cluster_codec.hpp"

namespace chat::redis {

const char* const kCreateRoomScript = R"LUA(
-- chat create room: unique by name and both name keys across the cluster, then told to every node
if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then
  return {redis.call('hget', KEYS[1], ARGV[1]), redis.call('zrange', KEYS[3], 0, -1)}
end
if ARGV[2] ~= '' then
  if redis.call('hexists', KEYS[2], ARGV[2]) == 1 or redis.call('hexists', KEYS[2], ARGV[3]) == 1 then
    return 0
  end
  redis.call('hset', KEYS[2], ARGV[2], ARGV[1])
  redis.call('hset', KEYS[2], ARGV[3], ARGV[1])
end
redis.call('hset', KEYS[1], ARGV[1], ARGV[4])
redis.call('del', KEYS[3])
for i = 7, #ARGV do redis.call('zadd', KEYS[3], i - 6, ARGV[i]) end
redis.call('publish', ARGV[5], ARGV[6])
return 1
)LUA";

const char* const kDeleteRoomScript = R"LUA(
-- chat delete room: the room, its name keys, its counter, its lines, its members and its read markers go together
if redis.call('hdel', KEYS[1], ARGV[1]) == 0 then
  return 0
end
if ARGV[2] ~= '' then redis.call('hdel', KEYS[2], ARGV[2], ARGV[3]) end
for _, account in ipairs(redis.call('smembers', KEYS[7])) do redis.call('hdel', ARGV[6] .. account, ARGV[1]) end
redis.call('del', KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
redis.call('publish', ARGV[4], ARGV[5])
return 1
)LUA";

const char* const kAddRoomMemberScript = R"LUA(
-- chat add room member: after the last one added (score = order of addition); announced even if there
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return 0 end
if not redis.call('zscore', KEYS[2], ARGV[2]) then
  local last = redis.call('zrevrange', KEYS[2], 0, 0, 'withscores')
  local score = 1
  if last[2] then score = tonumber(last[2]) + 1 end
  redis.call('zadd', KEYS[2], score, ARGV[2])
end
redis.call('publish', ARGV[3], ARGV[4])
return 1
)LUA";

const char* const kRemoveRoomMemberScript = R"LUA(
-- chat remove room member: announced even if not there
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('zrem', KEYS[2], ARGV[2])
redis.call('publish', ARGV[3], ARGV[4])
return 1
)LUA";

const char* const kReadRoomsScript = R"LUA(
-- chat read rooms: every room and each private room's members, as one snapshot
local rooms = redis.call('hgetall', KEYS[1])
local out = {rooms}
for i = 1, #rooms, 2 do
  if string.find(rooms[i + 1], '\031p', 1, true) then
    out[#out + 1] = rooms[i]
    out[#out + 1] = redis.call('zrange', ARGV[1] .. rooms[i], 0, -1)
  end
end
return out
)LUA";

NameKeys room_name_keys(const std::string& name) {
  if (is_dm_room_name(name)) return {};
  return name_keys(name);
}

std::string encode_room_record(const StoredRoom& room) {
  std::string record = std::to_string(room.created_ms) + ":" + room.creator;
  if (room.is_private) record += std::string(1, kRoomPrivateMark) + "p" + std::to_string(room.owner);
  return record;
}

namespace {

// "<id>,<id>,..." (may be empty).
std::optional<std::vector<AccountId>> decode_member_list(std::string_view text) {
  std::vector<AccountId> members;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto id = decode_account_id(text.substr(0, comma));
    if (!id || members.size() >= kMaxDecodedMembers) return std::nullopt;
    members.push_back(*id);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return std::nullopt;  // a trailing comma
  }
  return members;
}

// A record's creator and what follows it: nothing (public), "\x1fp<owner>" (private), and in an
// event "\x1fm<members>" after that.
bool decode_room_tail(std::string_view tail, bool with_members, StoredRoom& room) {
  const auto mark = tail.find(kRoomPrivateMark);
  const std::string_view creator = tail.substr(0, mark);
  if (!creator.empty() && !text_ok(creator)) return false;
  room.creator = std::string(creator);
  if (mark == std::string_view::npos) return true;
  std::string_view rest = tail.substr(mark + 1);
  const auto members_mark = rest.find(kRoomPrivateMark);
  const std::string_view owner = rest.substr(0, members_mark);
  if (owner.size() < 2 || owner[0] != 'p') return false;
  const auto owner_id = parse_number(owner.substr(1));
  if (!owner_id) return false;
  room.is_private = true;
  room.owner = *owner_id;
  if (members_mark == std::string_view::npos) return true;
  if (!with_members) return false;
  rest.remove_prefix(members_mark + 1);
  if (rest.empty() || rest[0] != 'm') return false;
  auto members = decode_member_list(rest.substr(1));
  if (!members) return false;
  room.members = std::move(*members);
  return true;
}

std::optional<StoredRoom> decode_room(std::string_view name, std::string_view record, bool with_members) {
  const auto parts = number_then_rest(record);
  if (!parts || !text_ok(name)) return std::nullopt;
  StoredRoom room;
  room.name = std::string(name);
  room.created_ms = parts->first;
  if (!decode_room_tail(parts->second, with_members, room)) return std::nullopt;
  return room;
}

}  // namespace

std::optional<StoredRoom> decode_room_record(std::string_view name, std::string_view record) {
  return decode_room(name, record, /*with_members=*/false);
}

std::optional<std::vector<AccountId>> decode_room_members(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::array || reply.elements.size() > kMaxDecodedMembers) return std::nullopt;
  std::vector<AccountId> members;
  for (const auto& element : reply.elements) {
    const auto id = decode_account_id(element.text);
    if (!id) return std::nullopt;
    members.push_back(*id);
  }
  return members;
}

std::optional<StoredRoom> decode_existing_room(const std::string& name, const RedisReply& reply) {
  if (reply.type != RedisReply::Type::array || reply.elements.size() != 2) return std::nullopt;
  auto room = decode_room_record(name, reply.elements[0].text);
  if (!room || !room->is_private) return room;
  auto members = decode_room_members(reply.elements[1]);
  if (!members) return std::nullopt;
  room->members = std::move(*members);
  return room;
}

std::optional<std::vector<StoredRoom>> decode_rooms_snapshot(const RedisReply& reply, std::size_t& skipped) {
  skipped = 0;
  if (reply.type != RedisReply::Type::array || reply.elements.empty() || reply.elements.size() % 2 == 0) {
    return std::nullopt;
  }
  std::map<std::string, const RedisReply*> members_of;
  for (std::size_t i = 1; i + 1 < reply.elements.size(); i += 2) {
    members_of[reply.elements[i].text] = &reply.elements[i + 1];
  }
  std::vector<StoredRoom> rooms;
  for (const auto& [name, record] : pairs_of(reply.elements[0])) {
    auto room = decode_room_record(name, record);
    if (room && room->is_private) {
      const auto found = members_of.find(name);
      auto members = found == members_of.end() ? std::nullopt : decode_room_members(*found->second);
      if (members) room->members = std::move(*members);
      else room.reset();
    }
    if (!room) {
      ++skipped;
      continue;
    }
    rooms.push_back(std::move(*room));
  }
  return rooms;
}

std::string encode_room_created(const StoredRoom& room) {
  std::string event = "+" + std::to_string(room.created_ms) + ":" + std::to_string(room.name.size()) + ":" +
                      room.name + room.creator;
  if (!room.is_private) return event;
  event += std::string(1, kRoomPrivateMark) + "p" + std::to_string(room.owner) + kRoomPrivateMark + "m";
  for (std::size_t i = 0; i < room.members.size(); ++i) {
    if (i > 0) event += ",";
    event += std::to_string(room.members[i]);
  }
  return event;
}

std::string encode_room_deleted(const std::string& name) { return "-" + name; }

std::string encode_room_member_changed(const RoomMemberChanged& change) {
  return (change.added ? "a" : "r") + std::to_string(change.account) + ":" + change.room;
}

std::optional<RoomEvent> decode_room_event(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  if (payload[0] == '-') {
    const std::string_view name = payload.substr(1);
    if (!text_ok(name)) return std::nullopt;
    return RoomEvent{RoomDeleted{std::string(name)}};
  }
  if (payload[0] == 'a' || payload[0] == 'r') {
    const auto account = number_then_rest(payload.substr(1));
    if (!account || account->first <= 0 || !text_ok(account->second)) return std::nullopt;
    return RoomEvent{RoomMemberChanged{std::string(account->second), account->first, payload[0] == 'a'}};
  }
  if (payload[0] != '+') return std::nullopt;
  const auto created = number_then_rest(payload.substr(1));
  if (!created) return std::nullopt;
  const auto length = number_then_rest(created->second);
  if (!length || static_cast<std::size_t>(length->first) > length->second.size()) return std::nullopt;
  const auto name_size = static_cast<std::size_t>(length->first);
  auto room = decode_room(length->second.substr(0, name_size),
                          std::to_string(created->first) + ":" + std::string(length->second.substr(name_size)),
                          /*with_members=*/true);
  if (!room) return std::nullopt;
  return RoomEvent{std::move(*room)};
}

}  // namespace chat::redis
