// Failure policy: a command that was never sent (link down) is a refusal; a link that dropped
// before the answer leaves the outcome unknown (the core then says so, and the line, if Redis
// stored it, still reaches everyone through pub/sub or the next resync). Bad values from Redis
// or a peer node are logged and skipped.
// Each call of the Engine port mapped to Redis, one short function each; what has a job of its own
// is in redis_room_log, redis_cluster_members, redis_room_codec and redis_cluster_codec; the calls about people
// (tokens, accounts, names, presence) are in redis_engine_people.cpp, rooms and their members in
// redis_engine_rooms.cpp.
#include "server/engine/redis/redis_engine.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "server/engine/redis/redis_cluster_codec.hpp"
#include "server/engine/redis/redis_room_codec.hpp"
#include "server/log.hpp"
#include "server/names/name_keys.hpp"

namespace chat::redis {
namespace {

bool starts_with(const std::string& text, const char* head) { return text.rfind(head, 0) == 0; }

// A node's name in the cluster: random, new at every start (a restarted node is a new node).
std::string new_node_id() {
  std::random_device device;
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 12; ++i) id.push_back(kHex[device() % 16]);
  return id;
}

// The start-up reads, on a blocking link of their own (before the loop runs).
class BlockingLink {
 public:
  explicit BlockingLink(const RedisUrl& url, long timeout_s = 2) {
    timeval timeout{timeout_s, 0};
    context_ = redisConnectWithTimeout(url.host.c_str(), url.port, timeout);
    if (context_ == nullptr || context_->err != 0) return;
    redisSetTimeout(context_, timeout);
  }
  ~BlockingLink() {
    if (context_ != nullptr) redisFree(context_);
  }
  BlockingLink(const BlockingLink&) = delete;
  BlockingLink& operator=(const BlockingLink&) = delete;

  // The reply, or an error reply saying why there is none.
  RedisReply run(const std::vector<std::string>& argv) {
    if (context_ == nullptr) return RedisReply::error("out of memory");
    if (context_->err != 0) return RedisReply::error(context_->errstr);
    std::vector<const char*> args;
    std::vector<std::size_t> lengths;
    for (const auto& arg : argv) args.push_back(arg.data()), lengths.push_back(arg.size());
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data()));
    if (reply == nullptr) return RedisReply::error(context_->errstr);
    RedisReply copy = copy_reply(reply);
    freeReplyObject(reply);
    return copy;
  }

 private:
  redisContext* context_ = nullptr;
};

}  // namespace

RedisEngine::RedisEngine(RedisUrl url, RedisKeys keys, MemberTimes times)
    : url_(std::move(url)), keys_(keys),
      members_(new_node_id(), std::move(keys), times,
               [this](std::vector<std::string> argv, RedisConnection::ReplyCallback callback) {
                 coordinate(std::move(argv), std::move(callback));
               }),
      accounts_(keys_, [this](std::vector<std::string> argv, RedisConnection::ReplyCallback callback) {
        command(std::move(argv), std::move(callback));
      }) {}

RedisEngine::~RedisEngine() = default;

bool RedisEngine::load(StoredState& state) {
  BlockingLink link(url_);
  const auto failed = [&](const RedisReply& reply) {
    error_ = "cannot use Redis at " + to_string(url_) + ": " + reply.text;
    return false;
  };
  if (auto selected = link.run({"SELECT", std::to_string(url_.db)}); selected.is_error()) return failed(selected);
  const NameKeys general = name_keys(kGeneralRoom);
  StoredRoom general_room;
  general_room.name = kGeneralRoom;
  const auto created = link.run({"EVAL", kCreateRoomScript, "3", keys_.rooms(), keys_.room_keys(),
                                 keys_.room_members(kGeneralRoom), kGeneralRoom, general.identity, general.lookalike,
                                 encode_room_record(general_room), keys_.rooms_channel(), encode_room_created(general_room)});
  if (created.is_error()) return failed(created);
  const auto rooms = link.run({"EVAL", kReadRoomsScript, "1", keys_.rooms(), keys_.room_members_prefix()});
  if (rooms.is_error()) return failed(rooms);
  std::size_t skipped = 0;
  auto snapshot = decode_rooms_snapshot(rooms, skipped);
  if (!snapshot) return failed(RedisReply::error("the rooms could not be read"));
  if (skipped > 0) log_line(LogLevel::warn, "redis: %zu malformed room records or member sets skipped", skipped);
  state.rooms.clear();
  for (auto& room : *snapshot) {
    const auto meta = link.run({"HMGET", keys_.meta(room.name), "id", "epoch"});
    if (meta.is_error()) return failed(meta);
    if (meta.elements.size() == 2) {
      room.last_line_id = std::atoll(meta.elements[0].text.c_str());
      room.epoch = meta.elements[1].text;
    }
    state.rooms.push_back(std::move(room));
  }
  // General first, then in order of creation, as on one node.
  std::stable_sort(state.rooms.begin(), state.rooms.end(), [](const StoredRoom& a, const StoredRoom& b) {
    if ((a.name == kGeneralRoom) != (b.name == kGeneralRoom)) return a.name == kGeneralRoom;
    return a.created_ms < b.created_ms;
  });
  const auto tokens = link.run({"HGETALL", keys_.tokens()});
  if (tokens.is_error()) return failed(tokens);
  state.tokens.clear();
  for (const auto& [id, record] : pairs_of(tokens)) {
    if (auto token = decode_token_record(id, record)) state.tokens.push_back(std::move(*token));
  }
  RedisReply accounts_error;
  if (!accounts_.load([&link](const std::vector<std::string>& argv) { return link.run(argv); }, state.accounts,
                      accounts_error)) {
    return failed(accounts_error);
  }
  for (const auto& room : state.rooms) {
    rooms_.insert(room.name);
    if (room.is_private) private_members_[room.name] = room.members;
  }
  return true;
}

void RedisEngine::start(uv_loop_s* loop, std::function<void()> ready) {
  ready_ = std::move(ready);
  ConnectionOptions options;
  options.name = "redis-commands";
  commands_ = std::make_unique<RedisConnection>(loop, url_, options);
  options.name = "redis-pubsub";
  pubsub_ = std::make_unique<RedisConnection>(loop, url_, options);
  log_ = std::make_unique<RedisRoomLog>(*commands_, *pubsub_, keys_, /*rooms_must_exist=*/true);
  log_->on_line([this](const std::string& room, const PublishedLine& line) { inbox_->line_published(room, line.epoch, line.line); },
                [this](const std::string& room) { inbox_->room_live(room); });
  log_->on_other_channel([this](const std::string& channel, const std::string& payload) { on_channel_message(channel, payload); },
                         [this](const std::string& channel) { on_channel_live(channel); });
  commands_->on_state([this](LinkState state, const std::string& reason) { on_state("commands", state, reason); });
  pubsub_->on_state([this](LinkState state, const std::string& reason) { on_state("pub/sub", state, reason); });
  pubsub_->subscribe(keys_.rooms_channel());
  pubsub_->subscribe(keys_.tokens_channel());
  pubsub_->subscribe(keys_.presence_channel());
  pubsub_->subscribe(keys_.accounts_channel());
  pubsub_->subscribe(keys_.markers_channel());
  pubsub_->subscribe(keys_.typing_channel());
  for (const auto& room : rooms_) log_->subscribe(room);
  commands_->start();
  pubsub_->start();
  tick_ = new uv_timer_t;
  uv_timer_init(loop, tick_);
  tick_->data = this;
  const auto every = static_cast<std::uint64_t>(members_.times().tick_ms);
  uv_timer_start(tick_, [](uv_timer_t* timer) { static_cast<RedisEngine*>(timer->data)->members_.tick(); }, 0, every);
  log_line(LogLevel::info, "cluster: this node is %s", members_.node().c_str());
}

// The links close at once (what they had not sent is lost); then, on a short blocking link, the
// node says goodbye (RedisClusterMembers::farewell), so that its people's names are free and they
// are seen leaving now rather than when its leases lapse. If Redis does not answer within a
// second, they lapse as a dead node's do.
void RedisEngine::stop() {
  if (tick_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(tick_), [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
    tick_ = nullptr;
  }
  const bool was_up = available();
  log_.reset();
  pubsub_.reset();
  commands_.reset();
  if (!was_up) return;
  BlockingLink link(url_, 1);
  if (link.run({"SELECT", std::to_string(url_.db)}).is_error()) return;
  for (const auto& command : members_.farewell()) {
    if (link.run(command).is_error()) break;
  }
}

bool RedisEngine::available() const {
  return commands_ && pubsub_ && commands_->state() == LinkState::connected && pubsub_->state() == LinkState::connected;
}

void RedisEngine::on_state(const char* link, LinkState state, const std::string& reason) {
  if (state == LinkState::connected) {
    log_line(LogLevel::info, "redis %s link up (%s)", link, to_string(url_).c_str());
    // The heartbeat and the names' renewal go first on a new command link, before anything this
    // node announces: a node that hears of our members must find us alive.
    if (std::string_view(link) == "commands") members_.tick();
    become_ready_if_able();
  } else if (state == LinkState::disconnected) {
    log_line(LogLevel::warn, "redis %s link down (%s): %s; lines are refused until it is back", link,
             to_string(url_).c_str(), reason.c_str());
  }
}

void RedisEngine::become_ready_if_able() {
  if (ready_ && available() && members_known_) std::exchange(ready_, {})();
}

void RedisEngine::command(std::vector<std::string> argv, RedisConnection::ReplyCallback callback) {
  ++pending_;
  commands_->command(std::move(argv), [this, callback = std::move(callback)](const RedisReply& reply) {
    --pending_;
    callback(reply);
  });
}

void RedisEngine::coordinate(std::vector<std::string> argv, RedisConnection::ReplyCallback callback) {
  commands_->command(std::move(argv), std::move(callback));
}

// ---- Lines -------------------------------------------------------------------------------------

void RedisEngine::publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
                          PublishDone done) {
  ++pending_;
  const auto started = std::chrono::steady_clock::now();
  log_->publish(room, ts, user, text, [this, started, done = std::move(done)](std::optional<Position> position,
                                                                             const std::string& why) {
    --pending_;
    stats_.commit_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    ++(position ? stats_.commits : stats_.failed_commits);
    ++stats_.requests;
    if (position) return done(PublishResult{PublishOutcome::stored, position->epoch, position->id, ""});
    // Lost with the link, or an answer we could not read: Redis may have stored it.
    const bool unknown = starts_with(why, "connection lost") || starts_with(why, "unexpected");
    done(PublishResult{unknown ? PublishOutcome::unknown : PublishOutcome::refused, "", 0, why});
  });
}

void RedisEngine::read_lines(const LineQuery& query, PageDone done) {
  ++pending_;
  auto finish = [this, done = std::move(done)](std::optional<HistoryPage> page, const std::string& why) {
    --pending_;
    LinePage result;
    if (!page) {
      log_line(LogLevel::warn, "redis: history read failed: %s", why.c_str());
      result.ok = false;
      return done(std::move(result));
    }
    result.lines = std::move(page->lines);
    result.more = page->more;
    result.epoch = std::move(page->epoch);
    done(std::move(result));
  };
  const auto limit = static_cast<std::size_t>(std::max(query.limit, 1));
  if (query.after_id > 0) return log_->read_after(query.room, query.after_id, limit, std::move(finish));
  log_->read_before(query.room, query.before_id, limit, std::move(finish));
}

void RedisEngine::on_channel_message(const std::string& channel, const std::string& payload) {
  if (channel == keys_.rooms_channel()) return apply_room_event(payload);
  if (channel == keys_.tokens_channel()) return apply_token_event(payload);
  if (channel == keys_.presence_channel()) return members_.on_presence_message(payload);
  if (channel == keys_.accounts_channel()) return accounts_.on_message(payload);
  if (channel == keys_.markers_channel()) return apply_marker_raised(payload);
  if (channel == keys_.typing_channel()) return apply_typing(payload);
  log_line(LogLevel::warn, "redis: message on unknown channel %.80s skipped", channel.c_str());
}

void RedisEngine::on_channel_live(const std::string& channel) {
  if (channel == keys_.rooms_channel()) return resync_rooms();
  if (channel == keys_.tokens_channel()) return resync_tokens();
  if (channel == keys_.presence_channel()) {
    return members_.resync({rooms_.begin(), rooms_.end()}, [this](bool complete) {
      members_known_ |= complete;
      become_ready_if_able();
    });
  }
  if (channel == keys_.accounts_channel()) return accounts_.resync();
  if (channel == keys_.markers_channel()) return resync_markers();
  // The typing channel needs no re-read: typing is never stored, and a missed one is forgotten.
}

}  // namespace chat::redis
