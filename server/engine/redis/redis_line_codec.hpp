// The chat line's Redis forms, and the publish script that writes them. Pure: decoding works on
// RedisReply values and strings, so every malformed shape is unit-tested without a server.
//
// Stream entry (one per line, in the room's stream): entry id "<id>-0", fields
//   ts <decimal ms since the Unix epoch>   user <name>   text <text>
// Published message (on the room's channel, built by the script):
//   <id>:<epoch>:<ts>:<user byte length>:<user><text>
// (the user's length makes the split unambiguous whatever the text holds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol.hpp"
#include "server/engine/redis/redis_reply.hpp"

namespace chat::redis {

// Sanity bounds for what a peer or a stored entry may hold; larger is corrupt, not a long line.
constexpr std::size_t kMaxStoredUserBytes = 1024;
constexpr std::size_t kMaxStoredTextBytes = 1024 * 1024;
constexpr std::size_t kMaxEpochBytes = 64;

// A line's place in its room: id (1, 2, 3 ... per room) and the epoch of the room's counter. A new
// epoch means the counter started again (its key was lost): ids are not comparable across epochs.
struct Position {
  std::int64_t id = 0;
  std::string epoch;
};

struct PublishedLine {
  std::string epoch;
  ChatLine line;
};

struct HistoryPage {
  std::vector<ChatLine> lines;  // oldest first, whatever the reading direction
  bool more = false;            // further entries exist in the reading direction
  std::int64_t cursor = 0;      // the id to page on from (the last entry read, even if corrupt)
  std::size_t skipped = 0;      // corrupt entries left out (each logged)
  std::string epoch;            // of the room's counter when read; empty if it has none yet
};

// The publish script. KEYS: meta hash, stream[, rooms hash]. ARGV: channel, epoch to use if the
// room has none, ts, user, text[, room name]. With the rooms hash, a room that is not in it (deleted
// by another node meanwhile) is refused with NOROOM, so its counter and stream are never revived. Returns {id, epoch}; a failed XADD returns its error and takes the id back, so
// ids never skip a number.
extern const char* const kPublishScript;

std::optional<Position> decode_publish_result(const RedisReply& reply, std::string& why);
std::optional<PublishedLine> decode_published(std::string_view payload, std::string& why);
// entry: [ "<id>-0", [field, value, ...] ] as XRANGE returns it.
std::optional<ChatLine> decode_stream_entry(const RedisReply& entry, std::string& why);
// An XRANGE / XREVRANGE reply read with COUNT limit + 1 (the extra entry only tells `more`).
// Corrupt entries are logged (warn) with the room and skipped.
HistoryPage decode_history(const RedisReply& reply, std::size_t limit, bool newest_first, std::string_view room);

// "123-0" -> 123; nullopt unless it is a positive id with sequence 0.
std::optional<std::int64_t> parse_entry_id(std::string_view text);

}  // namespace chat::redis
