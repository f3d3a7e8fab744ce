// The Redis forms of read markers and typing (docs/ACCOUNTS.md, step 4): the two scripts that only
// ever raise a marker, the stored marker value, and the messages on the markers and typing
// channels. Pure, never throws; a malformed value decodes to nullopt (the caller logs and skips
// it). See docs/CLUSTER.md.
//
// Marker (field = room name, in chat:markers:<account>):  <last_read_id>:<last_mention_id>
// Marker raised (on chat:markers-raised):                 <account>:<last_read_id>:<room>
// Typing (on chat:typing):                                <node>:<room byte length>:<room><user>
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/engine/redis/redis_reply.hpp"
#include "server/ports/store.hpp"

namespace chat::redis {

// KEYS: rooms hash, the account's markers hash, the room's marked-by set. ARGV: room, account id,
// id, channel. The marker's last_read_id rises to id (never falls), the account joins the room's
// marked-by set, and "<account>:<new last_read_id>:<room>" is published. Returns the new
// last_read_id, or -1 if the room does not exist (nothing written, nothing published).
extern const std::string kRaiseReadMarkerScript;
// KEYS: rooms hash, the room's marked-by set, then each account's markers hash. ARGV: room, id,
// then the account ids in the order of their hashes. Each last_mention_id rises to id (a marker is
// made if there was none). Returns 1, or 0 if the room does not exist. Publishes nothing.
extern const std::string kRaiseMentionsScript;

// Most markers one account's hash may hold when read (rooms are capped at 2 000; conversations
// add one each): more is corrupt, not a busy account.
constexpr std::size_t kMaxDecodedMarkers = 100'000;

std::string encode_marker_value(std::int64_t last_read_id, std::int64_t last_mention_id);
std::optional<ReadMarker> decode_marker(std::string_view room, std::string_view value);
// HGETALL of an account's markers hash: every well-formed marker (`skipped` counts the others);
// nullopt when the reply is not an array of pairs or holds more than kMaxDecodedMarkers.
std::optional<std::vector<ReadMarker>> decode_markers(const RedisReply& reply, std::size_t& skipped);

struct MarkerRaised {
  AccountId account = 0;
  std::string room;
  std::int64_t last_read_id = 0;
};
std::string encode_marker_raised(const MarkerRaised& raised);
std::optional<MarkerRaised> decode_marker_raised(std::string_view payload);

struct TypingMessage {
  std::string node;
  std::string room;
  std::string user;
};
std::string encode_typing(const TypingMessage& typing);
std::optional<TypingMessage> decode_typing(std::string_view payload);

}  // namespace chat::redis
