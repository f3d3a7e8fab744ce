// Decoders for what Redis hands back: every field is checked (digits, bounds, UTF-8) because a
// peer node of another version or a hand-edited key must cost one skipped line, never a crash.
#include "server/engine/redis/redis_line_codec.hpp"

#include <algorithm>

#include "server/log.hpp"
#include "shared/utf8.hpp"

namespace chat::redis {

const char* const kPublishScript = R"LUA(
-- chat publish: next id, stream append and pub/sub as one atomic step (docs/CLUSTER.md)
if KEYS[3] and redis.call('hexists', KEYS[3], ARGV[6]) == 0 then
  return redis.error_reply('NOROOM no such room')
end
local epoch = redis.call('hget', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('hset', KEYS[1], 'epoch', epoch)
end
local id = redis.call('hincrby', KEYS[1], 'id', 1)
local added = redis.pcall('xadd', KEYS[2], id .. '-0', 'ts', ARGV[3], 'user', ARGV[4], 'text', ARGV[5])
if type(added) == 'table' and added.err then
  redis.call('hincrby', KEYS[1], 'id', -1)
  return added
end
redis.call('publish', ARGV[1], id .. ':' .. epoch .. ':' .. ARGV[3] .. ':' .. string.len(ARGV[4]) .. ':' .. ARGV[4] .. ARGV[5])
return {id, epoch}
)LUA";

namespace {

// A non-negative decimal of at most 18 digits (fits int64 with room); nothing else.
std::optional<std::int64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool epoch_ok(std::string_view epoch) {
  if (epoch.empty() || epoch.size() > kMaxEpochBytes) return false;
  return std::all_of(epoch.begin(), epoch.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

// Checks the parts every form shares; sets why and returns false on the first bad one.
bool line_ok(const ChatLine& line, std::string& why) {
  if (line.user.empty() || line.user.size() > kMaxStoredUserBytes || !utf8::is_valid(line.user)) {
    why = "bad user";
    return false;
  }
  if (line.text.size() > kMaxStoredTextBytes || !utf8::is_valid(line.text)) {
    why = "bad text";
    return false;
  }
  return true;
}

// Takes the next ':'-terminated field off the front of rest.
std::optional<std::string_view> take_field(std::string_view& rest) {
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view field = rest.substr(0, colon);
  rest.remove_prefix(colon + 1);
  return field;
}

}  // namespace

std::optional<std::int64_t> parse_entry_id(std::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos || text.substr(dash + 1) != "0") return std::nullopt;
  const auto id = parse_decimal(text.substr(0, dash));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::optional<Position> decode_publish_result(const RedisReply& reply, std::string& why) {
  if (reply.is_error()) {
    why = reply.text;
    return std::nullopt;
  }
  if (reply.type != RedisReply::Type::array || reply.elements.size() != 2 ||
      reply.elements[0].type != RedisReply::Type::integer || reply.elements[0].integer <= 0 ||
      reply.elements[1].type != RedisReply::Type::string || !epoch_ok(reply.elements[1].text)) {
    why = "unexpected reply to the publish script";
    return std::nullopt;
  }
  return Position{reply.elements[0].integer, reply.elements[1].text};
}

std::optional<PublishedLine> decode_published(std::string_view payload, std::string& why) {
  why = "malformed published line";
  if (payload.size() > kMaxStoredTextBytes + kMaxStoredUserBytes + 128) {
    why = "published line too long";
    return std::nullopt;
  }
  std::string_view rest = payload;
  const auto id_text = take_field(rest);
  const auto epoch = take_field(rest);
  const auto ts_text = take_field(rest);
  const auto user_length_text = take_field(rest);
  if (!id_text || !epoch || !ts_text || !user_length_text) return std::nullopt;
  const auto id = parse_decimal(*id_text);
  const auto ts = parse_decimal(*ts_text);
  const auto user_length = parse_decimal(*user_length_text);
  if (!id || *id <= 0 || !ts || !user_length || !epoch_ok(*epoch)) return std::nullopt;
  if (*user_length > static_cast<std::int64_t>(rest.size())) return std::nullopt;
  PublishedLine published;
  published.epoch = std::string(*epoch);
  published.line.id = *id;
  published.line.ts = *ts;
  published.line.user = std::string(rest.substr(0, static_cast<std::size_t>(*user_length)));
  published.line.text = std::string(rest.substr(static_cast<std::size_t>(*user_length)));
  if (!line_ok(published.line, why)) return std::nullopt;
  return published;
}

std::optional<ChatLine> decode_stream_entry(const RedisReply& entry, std::string& why) {
  why = "malformed stream entry";
  if (entry.type != RedisReply::Type::array || entry.elements.size() != 2 ||
      entry.elements[0].type != RedisReply::Type::string || entry.elements[1].type != RedisReply::Type::array) {
    return std::nullopt;
  }
  const auto id = parse_entry_id(entry.elements[0].text);
  if (!id) {
    why = "bad entry id";
    return std::nullopt;
  }
  const auto& fields = entry.elements[1].elements;
  if (fields.size() % 2 != 0) return std::nullopt;
  ChatLine line;
  line.id = *id;
  bool has_ts = false, has_user = false, has_text = false;
  for (std::size_t i = 0; i < fields.size(); i += 2) {
    if (fields[i].type != RedisReply::Type::string || fields[i + 1].type != RedisReply::Type::string) return std::nullopt;
    const std::string& name = fields[i].text;
    const std::string& value = fields[i + 1].text;
    if (name == "ts") {
      const auto ts = parse_decimal(value);
      if (!ts) {
        why = "bad ts";
        return std::nullopt;
      }
      line.ts = *ts;
      has_ts = true;
    } else if (name == "user") {
      line.user = value;
      has_user = true;
    } else if (name == "text") {
      line.text = value;
      has_text = true;
    }  // other fields: a newer writer's additions, ignored
  }
  if (!has_ts || !has_user || !has_text) {
    why = "missing field";
    return std::nullopt;
  }
  if (!line_ok(line, why)) return std::nullopt;
  return line;
}

HistoryPage decode_history(const RedisReply& reply, std::size_t limit, bool newest_first, std::string_view room) {
  HistoryPage page;
  if (reply.type != RedisReply::Type::array) {
    log_line(LogLevel::warn, "redis history of room %.*s: not an array, page left empty", static_cast<int>(room.size()),
             room.data());
    return page;
  }
  const std::size_t taken = std::min(limit, reply.elements.size());
  page.more = reply.elements.size() > limit;
  for (std::size_t i = 0; i < taken; ++i) {
    const RedisReply& entry = reply.elements[i];
    if (entry.type == RedisReply::Type::array && !entry.elements.empty() &&
        entry.elements[0].type == RedisReply::Type::string) {
      if (const auto id = parse_entry_id(entry.elements[0].text)) page.cursor = *id;
    }
    std::string why;
    auto line = decode_stream_entry(entry, why);
    if (!line) {
      ++page.skipped;
      log_line(LogLevel::warn, "redis history of room %.*s: corrupt entry skipped (%s)", static_cast<int>(room.size()),
               room.data(), why.c_str());
      continue;
    }
    page.lines.push_back(std::move(*line));
  }
  if (newest_first) std::reverse(page.lines.begin(), page.lines.end());
  return page;
}

}  // namespace chat::redis
