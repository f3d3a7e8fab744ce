// RedisEngine's read markers, mentions and typing (docs/ACCOUNTS.md, step 4). A marker is a field
// of its account's hash, raised only by a script (MAX, atomic), and the room keeps the set of
// accounts with a marker there so that its deletion takes them (redis_room_codec's deletion
// script). A read marker's raise is published by its script: every node's inbox hears it, this
// one's first, before the request completes (as for member changes), then again from pub/sub.
// Typing is only ever published, never stored. See docs/CLUSTER.md.
#include <string>
#include <vector>

#include "server/engine/redis/redis_engine.hpp"
#include "server/engine/redis/redis_marker_codec.hpp"
#include "server/log.hpp"

namespace chat::redis {
namespace {

// Far above the accounts one node serves between restarts.
constexpr std::size_t kMaxMarkerReaders = 1 << 20;

// The markers of `reply` (an HGETALL of one account's hash), or nullopt when it cannot be read.
std::optional<std::vector<ReadMarker>> markers_of(AccountId account, const RedisReply& reply) {
  if (reply.is_error()) {
    log_line(LogLevel::warn, "redis: markers of account %lld not read: %s", static_cast<long long>(account),
             reply.text.c_str());
    return std::nullopt;
  }
  std::size_t skipped = 0;
  auto markers = decode_markers(reply, skipped);
  if (!markers) {
    log_line(LogLevel::warn, "redis: markers of account %lld had an unexpected form", static_cast<long long>(account));
  } else if (skipped > 0) {
    log_line(LogLevel::warn, "redis: %zu malformed markers of account %lld skipped", skipped, static_cast<long long>(account));
  }
  return markers;
}

}  // namespace

void RedisEngine::read_markers(AccountId account, MarkersRead done) {
  if (marker_readers_.size() < kMaxMarkerReaders) marker_readers_.insert(account);
  command({"HGETALL", keys_.markers(account)}, [account, done = std::move(done)](const RedisReply& reply) {
    auto markers = markers_of(account, reply);
    if (!markers) return done(false, {});
    done(true, std::move(*markers));
  });
}

void RedisEngine::raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) {
  const std::string account_id = std::to_string(account);
  command({"EVAL", kRaiseReadMarkerScript, "3", keys_.rooms(), keys_.markers(account), keys_.marked_by(room), room,
           account_id, std::to_string(id), keys_.markers_channel()},
          [this, account, room, done = std::move(done)](const RedisReply& reply) {
            if (reply.is_error() || reply.type != RedisReply::Type::integer) {
              log_line(LogLevel::warn, "redis: read marker in room %.80s not raised: %s", room.c_str(), reply.text.c_str());
              return done(false);
            }
            if (reply.integer < 0) return done(false);  // no such room
            inbox_->read_marker_raised(account, room, reply.integer);  // the inbox first (the port's rule)
            done(true);
          });
}

void RedisEngine::raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                                 Done done) {
  std::vector<std::string> argv{"EVAL", kRaiseMentionsScript, std::to_string(accounts.size() + 2), keys_.rooms(),
                                keys_.marked_by(room)};
  for (const AccountId account : accounts) argv.push_back(keys_.markers(account));
  argv.insert(argv.end(), {room, std::to_string(id)});
  for (const AccountId account : accounts) argv.push_back(std::to_string(account));
  command(std::move(argv), [room, done = std::move(done)](const RedisReply& reply) {
    if (reply.is_error() || reply.type != RedisReply::Type::integer) {
      log_line(LogLevel::warn, "redis: mentions in room %.80s not raised: %s", room.c_str(), reply.text.c_str());
      return done(false);
    }
    done(reply.integer == 1);  // 0: no such room
  });
}

// Not store work: one node keeps typing in memory only, so it is not counted in pending() either.
void RedisEngine::announce_typing(const std::string& room, const std::string& user) {
  coordinate({"PUBLISH", keys_.typing_channel(), encode_typing(TypingMessage{members_.node(), room, user})},
             [](const RedisReply&) {});
}

void RedisEngine::apply_marker_raised(const std::string& payload) {
  const auto raised = decode_marker_raised(payload);
  if (!raised) return log_line(LogLevel::warn, "redis: malformed read marker message skipped");
  inbox_->read_marker_raised(raised->account, raised->room, raised->last_read_id);
}

void RedisEngine::apply_typing(const std::string& payload) {
  const auto typing = decode_typing(payload);
  if (!typing) return log_line(LogLevel::warn, "redis: malformed typing message skipped");
  if (typing->node == members_.node()) return;  // our own: the core told its sessions already
  inbox_->typing(typing->room, typing->user, typing->node);
}

// After every (re)subscription of the markers channel: raises published while the link was down
// were missed, so the markers of the accounts this node's core read are read again and reported
// (the core keeps the highest, so reporting one it has is harmless).
void RedisEngine::resync_markers() {
  for (const AccountId account : marker_readers_) {
    command({"HGETALL", keys_.markers(account)}, [this, account](const RedisReply& reply) {
      if (reply.is_error()) return;  // the link is down again: the next subscription retries
      const auto markers = markers_of(account, reply);
      if (!markers) return;
      for (const auto& marker : *markers) {
        if (marker.last_read_id > 0) inbox_->read_marker_raised(account, marker.room, marker.last_read_id);
      }
    });
  }
}

}  // namespace chat::redis
