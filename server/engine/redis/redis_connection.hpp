// RedisConnection: one hiredis async link on a libuv loop the program owns. It connects with a
// timeout, probes a live link, reconnects by itself with backoff after any drop or silence,
// reports its state, runs commands (pipelined, callbacks on the loop, never blocking it) and keeps
// its subscriptions across reconnects. Use one instance for commands and another for pub/sub:
// hiredis refuses ordinary commands on a link that has subscribed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "server/engine/redis/redis_reply.hpp"
#include "server/engine/redis/redis_url.hpp"

struct addrinfo;
struct redisAsyncContext;
struct redisReply;
struct uv_getaddrinfo_s;
struct uv_loop_s;
struct uv_timer_s;

namespace chat::redis {

// An owned copy of a hiredis reply (also for the engine's blocking start-up reads).
RedisReply copy_reply(const redisReply* reply);

enum class LinkState { connecting, connected, disconnected };
const char* to_string(LinkState state);

struct ConnectionOptions {
  std::uint64_t connect_timeout_ms = 2000;  // TCP connect + the set-up commands' replies
  std::uint64_t backoff_min_ms = 100;       // first retry after a drop (then doubled, jittered)
  std::uint64_t backoff_max_ms = 5000;
  // Health probe while connected: PING (on a subscribed link, a SUBSCRIBE of a probe channel, as
  // hiredis 0.14 loses PING replies there). The link is dropped when a probe is outstanding and
  // nothing at all came from Redis for reply_timeout_ms, so no command waits for ever on a Redis
  // that stopped answering (0: no probe). Replies still coming, or waiting in the socket after the
  // loop was busy, are a Redis that answers: a probe queued behind a crowd's commands is late,
  // not lost, and dropping the link then would fail every command in flight.
  std::uint64_t probe_interval_ms = 1000;
  std::uint64_t reply_timeout_ms = 5000;
  std::string name = "redis";               // for log lines: "redis-commands", "redis-pubsub"
};

class RedisConnection {
 public:
  using ReplyCallback = std::function<void(const RedisReply&)>;
  // reason: empty on connected, else why the link is not up (for a log line or a test).
  using StateCallback = std::function<void(LinkState, const std::string& reason)>;
  using MessageCallback = std::function<void(const std::string& channel, const std::string& payload)>;
  using SubscribedCallback = std::function<void(const std::string& channel)>;

  RedisConnection(uv_loop_s* loop, RedisUrl url, ConnectionOptions options = {});
  // Pending callbacks are dropped, not called. The loop must run afterwards for libuv to release
  // the handles. Not to be destroyed from inside one of its own callbacks.
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  void on_state(StateCallback callback) { on_state_ = std::move(callback); }
  // Sent first on every (re)connect, before the link counts as connected (e.g. SCRIPT LOAD); an
  // error reply drops the link and it retries. SELECT of the URL's database always comes first.
  // on_reply (optional) sees each successful reply, e.g. the SHA1 that SCRIPT LOAD returns.
  void add_setup_command(std::vector<std::string> argv, ReplyCallback on_reply = {}) {
    setup_commands_.push_back({std::move(argv), std::move(on_reply)});
  }
  void start();  // the first connect; later ones happen by themselves

  LinkState state() const { return state_; }
  const RedisUrl& url() const { return url_; }

  // Queues a command (pipelined behind earlier ones). The callback runs on the loop exactly once:
  // with the reply, or with an error reply if the link is not up or drops before the answer.
  // It never runs inside command() itself. An error starting "not connected" means the command
  // was never sent; any other link error ("connection lost") means its outcome is unknown: Redis
  // may have run it (e.g. it stopped answering and then resumed).
  static constexpr const char* kNotConnected = "not connected";
  void command(std::vector<std::string> argv, ReplyCallback callback);

  // Subscriptions survive reconnects: after every (re)connect each channel is SUBSCRIBEd again
  // and on_subscribed runs once Redis confirms it (messages published while the link was down are
  // lost: the caller reads them from history on that signal).
  void set_message_handler(MessageCallback on_message, SubscribedCallback on_subscribed);
  void subscribe(const std::string& channel);
  void unsubscribe(const std::string& channel);
  std::size_t subscription_count() const { return channels_.size(); }

 private:
  struct Pending;
  struct Lookup;
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_reply(redisAsyncContext* context, void* reply, void* privdata);
  static void on_subscription_reply(redisAsyncContext* context, void* reply, void* privdata);

  void connect_now();
  void connect_to(const std::string& address);  // an IP address: hiredis's own lookup then never blocks
  void start_lookup();
  static void on_lookup(uv_getaddrinfo_s* request, int status, addrinfo* found);
  void abandon_lookup();
  void link_lost(const std::string& reason);   // the context is gone (or being freed by hiredis)
  void drop_link(const std::string& reason);   // we free the context ourselves
  void schedule_reconnect();
  void set_state(LinkState state, const std::string& reason);
  void send_setup();
  void setup_finished();
  void send_subscribe(const std::string& channel);
  void fail_later(ReplyCallback callback, std::string reason);
  void probe();
  void flush_failures();
  bool send(const std::vector<std::string>& argv, void (*fn)(redisAsyncContext*, void*, void*), void* privdata);

  uv_loop_s* loop_;
  RedisUrl url_;
  ConnectionOptions options_;
  redisAsyncContext* context_ = nullptr;
  Lookup* lookup_ = nullptr;  // a host name being resolved (before context_ exists)
  std::vector<std::string> addresses_;  // what the last lookup found, tried in turn
  std::size_t next_address_ = 0;
  LinkState state_ = LinkState::disconnected;
  bool closing_ = false;
  std::uint64_t link_generation_ = 0;  // bumped per connect attempt: late set-up replies are ignored
  std::size_t setup_outstanding_ = 0;
  int attempts_ = 0;                   // failed attempts since the last good link (for backoff)
  std::minstd_rand jitter_;
  // Heap-allocated: libuv frees them in its close callback, after this object may be gone.
  uv_timer_s* retry_timer_ = nullptr;
  uv_timer_s* connect_timer_ = nullptr;
  uv_timer_s* failure_timer_ = nullptr;
  uv_timer_s* probe_timer_ = nullptr;
  bool probe_outstanding_ = false;
  std::uint64_t probe_sent_ms_ = 0;  // loop time
  std::uint64_t heard_ms_ = 0;       // loop time of the last reply or message on this link
  std::vector<std::pair<ReplyCallback, std::string>> failures_;  // answered on the next loop turn

  struct SetupCommand {
    std::vector<std::string> argv;
    ReplyCallback on_reply;
  };
  std::vector<SetupCommand> setup_commands_;
  std::map<std::string, bool> channels_;  // channel -> confirmed on the current link
  StateCallback on_state_;
  MessageCallback on_message_;
  SubscribedCallback on_subscribed_;
};

}  // namespace chat::redis
