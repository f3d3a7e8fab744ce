// RedisRoomLog: the rooms' lines in Redis. Publishing runs the publish script (EVALSHA, EVAL when
// Redis answers NOSCRIPT) on the command link; history pages read the room's stream; live lines
// arrive on the pub/sub link, decoded, in the order Redis published them. This is the piece the
// cluster Engine is to be built from (docs/CLUSTER.md); it decides nothing about sessions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "server/engine/redis/redis_connection.hpp"
#include "server/engine/redis/redis_keys.hpp"
#include "server/engine/redis/redis_line_codec.hpp"

namespace chat::redis {

class RedisRoomLog {
 public:
  // Exactly one of position / page is set; error says why not (link down, Redis's refusal).
  using PublishCallback = std::function<void(std::optional<Position> position, const std::string& error)>;
  using PageCallback = std::function<void(std::optional<HistoryPage> page, const std::string& error)>;
  using LineCallback = std::function<void(const std::string& room, const PublishedLine& line)>;
  // A room's subscription is (again) live: lines published before this moment come from history.
  using LiveCallback = std::function<void(const std::string& room)>;

  // Call before commands.start(): it adds SCRIPT LOAD to the command link's set-up.
  // rooms_must_exist: a publish to a room missing from keys.rooms() is refused (the cluster engine).
  RedisRoomLog(RedisConnection& commands, RedisConnection& pubsub, RedisKeys keys = {}, bool rooms_must_exist = false);

  void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
               PublishCallback callback);
  // Up to limit lines with ids below before_id (0: the newest), oldest first; more = older exist.
  void read_before(const std::string& room, std::int64_t before_id, std::size_t limit, PageCallback callback);
  // Up to limit lines with ids above after_id, oldest first; more = newer exist.
  void read_after(const std::string& room, std::int64_t after_id, std::size_t limit, PageCallback callback);

  void on_line(LineCallback on_line, LiveCallback on_live);
  // Messages and subscription confirmations of channels that are not room channels.
  void on_other_channel(RedisConnection::MessageCallback on_message, RedisConnection::SubscribedCallback on_subscribed) {
    on_other_message_ = std::move(on_message);
    on_other_subscribed_ = std::move(on_subscribed);
  }
  void subscribe(const std::string& room) { pubsub_.subscribe(keys_.channel(room)); }
  void unsubscribe(const std::string& room) { pubsub_.unsubscribe(keys_.channel(room)); }

  const RedisKeys& keys() const { return keys_; }
  std::uint64_t skipped_messages() const { return skipped_messages_; }

 private:
  std::vector<std::string> script_arguments(const std::string& room, std::int64_t ts, const std::string& user,
                                            const std::string& text) const;
  void read(const std::string& room, std::vector<std::string> argv, std::size_t limit, bool newest_first,
            PageCallback callback);
  void on_message(const std::string& channel, const std::string& payload);

  RedisConnection& commands_;
  RedisConnection& pubsub_;
  RedisKeys keys_;
  std::string script_sha_;  // from SCRIPT LOAD on each (re)connect
  std::string new_epoch_;   // used only by a room that has no epoch yet
  bool rooms_must_exist_;
  LineCallback on_line_;
  LiveCallback on_live_;
  RedisConnection::MessageCallback on_other_message_;
  RedisConnection::SubscribedCallback on_other_subscribed_;
  std::uint64_t skipped_messages_ = 0;
};

}  // namespace chat::redis
