// Read markers' and typing's Redis forms: see the header.
#include "server/engine/redis/redis_marker_codec.hpp"

#include "server/engine/redis/redis_cluster_codec.hpp"

namespace chat::redis {
namespace {

// Shared by both scripts: raises one marker to at least (read, mention) and returns the new
// last_read_id. A value that does not parse counts as 0:0 and is overwritten. '%d' rather than
// '..': Lua 5.1 writes numbers above 1e14 in exponent form.
const char* const kRaiseFunction = R"LUA(
local function raise(key, room, read, mention)
  local old_read, old_mention = 0, 0
  local old = redis.call('hget', key, room)
  if old then
    local r, m = string.match(old, '^(%d+):(%d+)$')
    if r then old_read, old_mention = tonumber(r), tonumber(m) end
  end
  if old_read > read then read = old_read end
  if old_mention > mention then mention = old_mention end
  redis.call('hset', key, room, string.format('%d:%d', read, mention))
  return read
end
)LUA";

}  // namespace

const std::string kRaiseReadMarkerScript = std::string("-- chat raise read marker: only ever up, then told to every node") +
                                           kRaiseFunction + R"LUA(
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return -1 end
local read = raise(KEYS[2], ARGV[1], tonumber(ARGV[3]), 0)
redis.call('sadd', KEYS[3], ARGV[2])
redis.call('publish', ARGV[4], string.format('%s:%d:%s', ARGV[2], read, ARGV[1]))
return read
)LUA";

const std::string kRaiseMentionsScript = std::string("-- chat raise mentions: each account's last mention, only ever up") +
                                         kRaiseFunction + R"LUA(
local record = redis.call('hget', KEYS[1], ARGV[1])
if not record then return 0 end
local id = tonumber(ARGV[2])
-- A marker made here in a public room starts read up to the line before the mention (as SQLite's).
local new_read = id - 1
if string.find(record, '\31p', 1, true) then new_read = 0 end
for i = 3, #KEYS do
  local read = 0
  if redis.call('hexists', KEYS[i], ARGV[1]) == 0 then read = new_read end
  raise(KEYS[i], ARGV[1], read, id)
  redis.call('sadd', KEYS[2], ARGV[i])
end
return 1
)LUA";

std::string encode_marker_value(std::int64_t last_read_id, std::int64_t last_mention_id) {
  return std::to_string(last_read_id) + ":" + std::to_string(last_mention_id);
}

std::optional<ReadMarker> decode_marker(std::string_view room, std::string_view value) {
  const auto read = number_then_rest(value);
  const auto mention = read ? parse_number(read->second) : std::nullopt;
  if (!mention || !text_ok(room)) return std::nullopt;
  return ReadMarker{std::string(room), read->first, *mention};
}

std::optional<std::vector<ReadMarker>> decode_markers(const RedisReply& reply, std::size_t& skipped) {
  skipped = 0;
  if (reply.type != RedisReply::Type::array || reply.elements.size() % 2 != 0 ||
      reply.elements.size() / 2 > kMaxDecodedMarkers) {
    return std::nullopt;
  }
  std::vector<ReadMarker> markers;
  for (const auto& [room, value] : pairs_of(reply)) {
    if (auto marker = decode_marker(room, value)) {
      markers.push_back(std::move(*marker));
    } else {
      ++skipped;
    }
  }
  return markers;
}

std::string encode_marker_raised(const MarkerRaised& raised) {
  return std::to_string(raised.account) + ":" + std::to_string(raised.last_read_id) + ":" + raised.room;
}

std::optional<MarkerRaised> decode_marker_raised(std::string_view payload) {
  const auto account = number_then_rest(payload);
  if (!account || account->first <= 0) return std::nullopt;
  const auto id = number_then_rest(account->second);
  if (!id || !text_ok(id->second)) return std::nullopt;
  return MarkerRaised{account->first, std::string(id->second), id->first};
}

namespace {

// A node's name (RedisEngine's are 12 hex digits): printable ASCII without ':', at most 64 bytes.
bool node_ok(std::string_view node) {
  if (node.empty() || node.size() > 64) return false;
  for (const char c : node) {
    if (c <= ' ' || c > '~' || c == ':') return false;
  }
  return true;
}

}  // namespace

std::string encode_typing(const TypingMessage& typing) {
  return typing.node + ":" + std::to_string(typing.room.size()) + ":" + typing.room + typing.user;
}

std::optional<TypingMessage> decode_typing(std::string_view payload) {
  const auto colon = payload.find(':');
  if (colon == std::string_view::npos || !node_ok(payload.substr(0, colon))) return std::nullopt;
  const auto length = number_then_rest(payload.substr(colon + 1));
  if (!length || static_cast<std::size_t>(length->first) > length->second.size()) return std::nullopt;
  const auto room_size = static_cast<std::size_t>(length->first);
  const std::string_view room = length->second.substr(0, room_size);
  const std::string_view user = length->second.substr(room_size);
  if (!text_ok(room) || !text_ok(user)) return std::nullopt;
  return TypingMessage{std::string(payload.substr(0, colon)), std::string(room), std::string(user)};
}

}  // namespace chat::redis
