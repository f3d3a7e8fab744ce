// RedisRoomLog: command shapes and the NOSCRIPT fallback. SCRIPT LOAD runs in every link's set-up,
// so a link's own publishes never meet NOSCRIPT unless someone flushes the script cache meanwhile.
#include "server/engine/redis/redis_room_log.hpp"

#include <random>

#include "server/log.hpp"

namespace chat::redis {
namespace {

// 16 hex digits from the OS's randomness: two counters that restarted must not share an epoch.
std::string random_epoch() {
  std::random_device device;
  static const char kHex[] = "0123456789abcdef";
  std::string epoch;
  for (int i = 0; i < 16; ++i) epoch.push_back(kHex[device() % 16]);
  return epoch;
}

bool is_noscript(const RedisReply& reply) {
  return reply.is_error() && reply.text.compare(0, 8, "NOSCRIPT") == 0;
}

}  // namespace

RedisRoomLog::RedisRoomLog(RedisConnection& commands, RedisConnection& pubsub, RedisKeys keys, bool rooms_must_exist)
    : commands_(commands), pubsub_(pubsub), keys_(std::move(keys)), new_epoch_(random_epoch()),
      rooms_must_exist_(rooms_must_exist) {
  commands_.add_setup_command({"SCRIPT", "LOAD", kPublishScript}, [this](const RedisReply& reply) {
    if (reply.type == RedisReply::Type::string) script_sha_ = reply.text;
  });
  pubsub_.set_message_handler([this](const std::string& channel, const std::string& payload) { on_message(channel, payload); },
                              [this](const std::string& channel) {
                                const auto room = keys_.room_of_channel(channel);
                                if (room && on_live_) on_live_(*room);
                                if (!room && on_other_subscribed_) on_other_subscribed_(channel);
                              });
}

std::vector<std::string> RedisRoomLog::script_arguments(const std::string& room, std::int64_t ts,
                                                        const std::string& user, const std::string& text) const {
  if (!rooms_must_exist_) {
    return {"2", keys_.meta(room), keys_.stream(room), keys_.channel(room), new_epoch_, std::to_string(ts), user, text};
  }
  return {"3", keys_.meta(room), keys_.stream(room), keys_.rooms(), keys_.channel(room), new_epoch_,
          std::to_string(ts), user, text, room};
}

void RedisRoomLog::publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
                           PublishCallback callback) {
  auto arguments = script_arguments(room, ts, user, text);
  std::vector<std::string> argv = {"EVALSHA", script_sha_.empty() ? std::string(40, '0') : script_sha_};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  commands_.command(std::move(argv), [this, arguments, callback = std::move(callback)](const RedisReply& reply) mutable {
    auto finish = [callback](const RedisReply& answer) {
      std::string why;
      auto position = decode_publish_result(answer, why);
      callback(position, position ? std::string() : why);
    };
    if (!is_noscript(reply)) {
      finish(reply);
      return;
    }
    std::vector<std::string> eval = {"EVAL", kPublishScript};
    eval.insert(eval.end(), arguments.begin(), arguments.end());
    commands_.command(std::move(eval), finish);
  });
}

void RedisRoomLog::read_before(const std::string& room, std::int64_t before_id, std::size_t limit,
                               PageCallback callback) {
  const std::string end = before_id > 0 ? "(" + std::to_string(before_id) + "-0" : "+";
  read(room, {"XREVRANGE", keys_.stream(room), end, "-", "COUNT", std::to_string(limit + 1)}, limit, true,
       std::move(callback));
}

void RedisRoomLog::read_after(const std::string& room, std::int64_t after_id, std::size_t limit,
                              PageCallback callback) {
  const std::string start = "(" + std::to_string(after_id < 0 ? 0 : after_id) + "-0";
  read(room, {"XRANGE", keys_.stream(room), start, "+", "COUNT", std::to_string(limit + 1)}, limit, false,
       std::move(callback));
}

// The range and the room's epoch in one MULTI (sent back to back, so nothing of ours comes between
// them, and Redis runs them as one step): a page always says which numbering its ids belong to.
void RedisRoomLog::read(const std::string& room, std::vector<std::string> argv, std::size_t limit, bool newest_first,
                        PageCallback callback) {
  commands_.command({"MULTI"}, [](const RedisReply&) {});
  commands_.command({"HGET", keys_.meta(room), "epoch"}, [](const RedisReply&) {});
  commands_.command(std::move(argv), [](const RedisReply&) {});
  commands_.command({"EXEC"}, [room, limit, newest_first, callback = std::move(callback)](const RedisReply& reply) {
    if (reply.is_error()) {
      callback(std::nullopt, reply.text);
      return;
    }
    if (reply.type != RedisReply::Type::array || reply.elements.size() != 2) {
      callback(std::nullopt, "unexpected reply to a history read");
      return;
    }
    if (reply.elements[1].is_error()) {
      callback(std::nullopt, reply.elements[1].text);
      return;
    }
    HistoryPage page = decode_history(reply.elements[1], limit, newest_first, room);
    if (reply.elements[0].type == RedisReply::Type::string) page.epoch = reply.elements[0].text;
    callback(std::move(page), std::string());
  });
}

void RedisRoomLog::on_line(LineCallback on_line, LiveCallback on_live) {
  on_line_ = std::move(on_line);
  on_live_ = std::move(on_live);
}

void RedisRoomLog::on_message(const std::string& channel, const std::string& payload) {
  const auto room = keys_.room_of_channel(channel);
  if (!room && on_other_message_) return on_other_message_(channel, payload);
  std::string why;
  auto line = room ? decode_published(payload, why) : std::nullopt;
  if (!line) {
    ++skipped_messages_;
    log_line(LogLevel::warn, "redis channel %.80s: message skipped (%s)", channel.c_str(),
             room ? why.c_str() : "not a room channel");
    return;
  }
  if (on_line_) on_line_(*room, *line);
}

}  // namespace chat::redis
