#include "server/engine/redis/redis_cluster_codec.hpp"

#include "shared/utf8.hpp"

namespace chat::redis {

const char* const kCreateRoomScript = R"LUA(
-- chat create room: unique by both name keys across the cluster, then told to every node
if redis.call('hexists', KEYS[2], ARGV[2]) == 1 or redis.call('hexists', KEYS[2], ARGV[3]) == 1 then
  return 0
end
redis.call('hset', KEYS[1], ARGV[1], ARGV[4])
redis.call('hset', KEYS[2], ARGV[2], ARGV[1])
redis.call('hset', KEYS[2], ARGV[3], ARGV[1])
redis.call('publish', ARGV[5], ARGV[6])
return 1
)LUA";

const char* const kDeleteRoomScript = R"LUA(
-- chat delete room: the room, its name keys, its counter and its lines go together
if redis.call('hdel', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('hdel', KEYS[2], ARGV[2], ARGV[3])
redis.call('del', KEYS[3], KEYS[4], KEYS[5])
redis.call('publish', ARGV[4], ARGV[5])
return 1
)LUA";

namespace {

std::optional<std::int64_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Splits "<number>:<rest>"; nullopt if the number is missing or malformed.
std::optional<std::pair<std::int64_t, std::string_view>> number_then_rest(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto number = parse_number(text.substr(0, colon));
  if (!number) return std::nullopt;
  return std::make_pair(*number, text.substr(colon + 1));
}

bool text_ok(std::string_view text) { return !text.empty() && text.size() <= 1024 && utf8::is_valid(text); }

bool hash_ok(std::string_view hash) {
  if (hash.empty() || hash.size() > 128) return false;
  for (const char c : hash) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace

std::string encode_room_record(const StoredRoom& room) { return std::to_string(room.created_ms) + ":" + room.creator; }

std::optional<StoredRoom> decode_room_record(std::string_view name, std::string_view record) {
  const auto parts = number_then_rest(record);
  if (!parts || !text_ok(name) || (!parts->second.empty() && !text_ok(parts->second))) return std::nullopt;
  StoredRoom room;
  room.name = std::string(name);
  room.created_ms = parts->first;
  room.creator = std::string(parts->second);
  return room;
}

std::string encode_room_created(const StoredRoom& room) {
  return "+" + std::to_string(room.created_ms) + ":" + std::to_string(room.name.size()) + ":" + room.name + room.creator;
}

std::string encode_room_deleted(const std::string& name) { return "-" + name; }

std::optional<RoomEvent> decode_room_event(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  if (payload[0] == '-') {
    const std::string_view name = payload.substr(1);
    if (!text_ok(name)) return std::nullopt;
    return RoomEvent{RoomDeleted{std::string(name)}};
  }
  if (payload[0] != '+') return std::nullopt;
  const auto created = number_then_rest(payload.substr(1));
  if (!created) return std::nullopt;
  const auto length = number_then_rest(created->second);
  if (!length || static_cast<std::size_t>(length->first) > length->second.size()) return std::nullopt;
  const std::string_view name = length->second.substr(0, static_cast<std::size_t>(length->first));
  auto room = decode_room_record(name, std::to_string(created->first) + ":" +
                                           std::string(length->second.substr(static_cast<std::size_t>(length->first))));
  if (!room) return std::nullopt;
  return RoomEvent{std::move(*room)};
}

std::string encode_token_record(const StoredToken& token) {
  return std::to_string(token.last_used_ms) + ":" + token.secret_hash + ":" + token.user;
}

std::optional<StoredToken> decode_token_record(std::string_view id, std::string_view record) {
  const auto used = number_then_rest(record);
  if (!used || !hash_ok(id)) return std::nullopt;
  const auto colon = used->second.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view hash = used->second.substr(0, colon);
  const std::string_view user = used->second.substr(colon + 1);
  if (!hash_ok(hash) || !text_ok(user)) return std::nullopt;
  return StoredToken{std::string(id), std::string(hash), std::string(user), used->first};
}

std::string encode_token_saved(const StoredToken& token) { return "+" + token.id + ":" + encode_token_record(token); }

std::string encode_token_deleted(const std::string& id) { return "-" + id; }

std::optional<TokenEvent> decode_token_event(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  if (payload[0] == '-') {
    const std::string_view id = payload.substr(1);
    if (!hash_ok(id)) return std::nullopt;
    return TokenEvent{TokenDeleted{std::string(id)}};
  }
  if (payload[0] != '+') return std::nullopt;
  const auto colon = payload.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto token = decode_token_record(payload.substr(1, colon - 1), payload.substr(colon + 1));
  if (!token) return std::nullopt;
  return TokenEvent{std::move(*token)};
}

}  // namespace chat::redis
