// RedisConnection on hiredis 0.14.1's async API and its libuv adapter. hiredis frees a context
// itself after a failed connect or a drop (after calling our callbacks), so context_ is cleared
// before any free and every callback checks that its context is still the current one.
// Over 300 lines: one job, a link's whole life (connect, back-off, reconnect, commands in flight,
// pub/sub), whose states only read right side by side. Looking up a host name is
// redis_connection_lookup.cpp's.
#include "server/engine/redis/redis_connection.hpp"

#include <uv.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>

#include "server/engine/redis/redis_uv_adapter.hpp"
#include "server/log.hpp"
#include "server/socket_probes.hpp"

namespace chat::redis {

struct RedisConnection::Pending {
  ReplyCallback callback;
};

RedisReply copy_reply(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::string; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::integer; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::status; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::error; break;
    default: out.type = RedisReply::Type::nil; break;
  }
  if (reply->str != nullptr) out.text.assign(reply->str, reply->len);
  out.integer = reply->integer;
  if (reply->type == REDIS_REPLY_ARRAY) {
    out.elements.reserve(reply->elements);
    for (std::size_t i = 0; i < reply->elements; ++i) out.elements.push_back(copy_reply(reply->element[i]));
  }
  return out;
}

namespace {

std::string context_error(const redisAsyncContext* context) {
  return context->errstr[0] != '\0' ? std::string(context->errstr) : std::string("connection closed");
}

uv_timer_t* new_timer(uv_loop_t* loop, void* owner) {
  auto* timer = new uv_timer_t;
  uv_timer_init(loop, timer);
  timer->data = owner;
  return timer;
}

void close_timer(uv_timer_t* timer) {
  if (timer == nullptr) return;
  uv_timer_stop(timer);
  uv_close(reinterpret_cast<uv_handle_t*>(timer), [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
}

// Never published to: subscribing to it only proves that a subscribed link is still answered.
constexpr const char* kProbeChannel = "__chat_link_probe__";

}  // namespace

const char* to_string(LinkState state) {
  switch (state) {
    case LinkState::connecting: return "connecting";
    case LinkState::connected: return "connected";
    case LinkState::disconnected: return "disconnected";
  }
  return "?";
}

RedisConnection::RedisConnection(uv_loop_s* loop, RedisUrl url, ConnectionOptions options)
    : loop_(loop), url_(std::move(url)), options_(std::move(options)),
      jitter_(static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count() ^
                                         reinterpret_cast<std::uintptr_t>(this))) {
  retry_timer_ = new_timer(loop_, this);
  connect_timer_ = new_timer(loop_, this);
  failure_timer_ = new_timer(loop_, this);
  probe_timer_ = new_timer(loop_, this);
}

RedisConnection::~RedisConnection() {
  closing_ = true;  // from here on no user callback runs
  abandon_lookup();
  redisAsyncContext* context = context_;
  context_ = nullptr;
  if (context != nullptr) {
    // If hiredis is inside one of its callbacks it frees the context later: by then the callbacks
    // must find no owner rather than a destroyed one.
    context->data = nullptr;
    redisAsyncFree(context);
  }
  close_timer(retry_timer_);
  close_timer(connect_timer_);
  close_timer(failure_timer_);
  close_timer(probe_timer_);
}

void RedisConnection::start() {
  if (state_ == LinkState::disconnected && context_ == nullptr && lookup_ == nullptr) connect_now();
}

void RedisConnection::connect_now() {
  ++link_generation_;
  set_state(LinkState::connecting, "");
  uv_timer_start(connect_timer_, [](uv_timer_t* timer) {
    auto* self = static_cast<RedisConnection*>(timer->data);
    if (self->state_ == LinkState::connecting) {
      self->drop_link("connect timed out after " + std::to_string(self->options_.connect_timeout_ms) + " ms");
    }
  }, options_.connect_timeout_ms, 0);
  // hiredis 0.14 resolves a host name with a blocking getaddrinfo: an address goes to it directly,
  // a name is looked up on libuv's thread pool first.
  in6_addr ignored{};
  if (uv_inet_pton(AF_INET, url_.host.c_str(), &ignored) == 0 || uv_inet_pton(AF_INET6, url_.host.c_str(), &ignored) == 0) {
    connect_to(url_.host);
    return;
  }
  if (next_address_ < addresses_.size()) {  // the last lookup's next address (IPv6 and IPv4, say)
    connect_to(addresses_[next_address_++]);
    return;
  }
  start_lookup();
}

void RedisConnection::connect_to(const std::string& address) {
  redisAsyncContext* context = redisAsyncConnect(address.c_str(), url_.port);
  if (context == nullptr) {
    link_lost("out of memory");
    return;
  }
  if (context->err != 0) {
    const std::string reason = context_error(context);
    redisAsyncFree(context);
    link_lost(reason);
    return;
  }
  if (!attach_to_uv_loop(context, loop_)) {
    redisAsyncFree(context);
    link_lost("cannot attach to the libuv loop");
    return;
  }
  context->data = this;
  context_ = context;
  redisAsyncSetConnectCallback(context, &RedisConnection::on_connect);
  redisAsyncSetDisconnectCallback(context, &RedisConnection::on_disconnect);
  // (Setting the connect callback is what makes hiredis ask for the first writable event.)
}

void RedisConnection::on_connect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (self == nullptr || self->context_ != context) return;
  if (status != REDIS_OK) {
    self->link_lost(context_error(context));  // hiredis frees the context after this returns
    return;
  }
  self->send_setup();
}

void RedisConnection::on_disconnect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (self == nullptr || self->context_ != context) return;  // we freed it: already handled
  self->link_lost(status == REDIS_OK ? std::string("closed") : context_error(context));
}

void RedisConnection::send_setup() {
  std::vector<SetupCommand> commands;
  commands.push_back({{"SELECT", std::to_string(url_.db)}, {}});
  commands.insert(commands.end(), setup_commands_.begin(), setup_commands_.end());
  setup_outstanding_ = commands.size();
  const std::uint64_t generation = link_generation_;
  for (const auto& command : commands) {
    auto* pending = new Pending{[this, generation, command](const RedisReply& reply) {
      if (generation != link_generation_) return;
      if (reply.is_error()) {
        drop_link("set-up command " + command.argv.front() + " failed: " + reply.text);
        return;
      }
      if (command.on_reply) command.on_reply(reply);
      if (--setup_outstanding_ == 0) setup_finished();
    }};
    if (!send(command.argv, &RedisConnection::on_reply, pending)) {
      delete pending;
      drop_link("cannot send the set-up commands");
      return;
    }
  }
}

void RedisConnection::setup_finished() {
  uv_timer_stop(connect_timer_);
  attempts_ = 0;
  addresses_.clear();  // after a drop, look the name up again: its addresses may have moved
  next_address_ = 0;
  probe_outstanding_ = false;
  if (options_.probe_interval_ms > 0) {
    uv_timer_start(probe_timer_, [](uv_timer_t* timer) { static_cast<RedisConnection*>(timer->data)->probe(); },
                   options_.probe_interval_ms, options_.probe_interval_ms);
  }
  set_state(LinkState::connected, "");
  // The fix for the silent-unsubscribe bug (centrifugo#1189): every channel is subscribed again on
  // every new link, and counts as live only once Redis confirms it.
  for (auto& [channel, confirmed] : channels_) {
    confirmed = false;
    if (context_ == nullptr) break;  // a failed send dropped the link: the next one resubscribes
    send_subscribe(channel);
  }
}

void RedisConnection::link_lost(const std::string& reason) {
  context_ = nullptr;
  abandon_lookup();
  ++link_generation_;
  uv_timer_stop(connect_timer_);
  uv_timer_stop(probe_timer_);
  for (auto& entry : channels_) entry.second = false;
  const bool was_connected = state_ == LinkState::connected;
  if (was_connected || attempts_ == 0) {
    log_line(LogLevel::warn, "%s %s: %s (reconnecting)", options_.name.c_str(), to_string(url_).c_str(), reason.c_str());
  }
  set_state(LinkState::disconnected, reason);
  schedule_reconnect();
}

void RedisConnection::drop_link(const std::string& reason) {
  redisAsyncContext* context = context_;
  link_lost(reason);
  // Pending callbacks now run with no reply: their callers see "connection lost".
  if (context != nullptr) redisAsyncFree(context);
}

void RedisConnection::schedule_reconnect() {
  if (closing_) return;
  const int shift = std::min(attempts_, 16);
  const std::uint64_t ceiling = std::min(options_.backoff_max_ms, options_.backoff_min_ms << shift);
  // Jitter (between half and all of the ceiling) so that many nodes do not reconnect in step.
  const std::uint64_t delay = ceiling / 2 + jitter_() % (ceiling / 2 + 1);
  ++attempts_;
  uv_timer_start(retry_timer_, [](uv_timer_t* timer) {
    auto* self = static_cast<RedisConnection*>(timer->data);
    if (self->context_ == nullptr && self->lookup_ == nullptr && !self->closing_) self->connect_now();
  }, delay, 0);
}

void RedisConnection::set_state(LinkState state, const std::string& reason) {
  const bool changed = state != state_;
  state_ = state;
  if (state == LinkState::connected) {
    log_line(LogLevel::info, "%s connected to %s", options_.name.c_str(), to_string(url_).c_str());
  }
  if (changed && on_state_ && !closing_) on_state_(state, reason);
}

bool RedisConnection::send(const std::vector<std::string>& argv, void (*fn)(redisAsyncContext*, void*, void*),
                           void* privdata) {
  if (context_ == nullptr) return false;
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  pointers.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const auto& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAsyncCommandArgv(context_, fn, privdata, static_cast<int>(argv.size()), pointers.data(),
                               lengths.data()) == REDIS_OK;
}

void RedisConnection::command(std::vector<std::string> argv, ReplyCallback callback) {
  if (state_ != LinkState::connected || context_ == nullptr) {
    fail_later(std::move(callback), std::string(kNotConnected) + " to " + to_string(url_));
    return;
  }
  auto* pending = new Pending{std::move(callback)};
  if (!send(argv, &RedisConnection::on_reply, pending)) {
    ReplyCallback again = std::move(pending->callback);
    delete pending;
    fail_later(std::move(again), "cannot send to " + to_string(url_));
  }
}

void RedisConnection::on_reply(redisAsyncContext* context, void* reply, void* privdata) {
  std::unique_ptr<Pending> pending(static_cast<Pending*>(privdata));
  auto* self = static_cast<RedisConnection*>(context->data);
  if (self == nullptr || self->closing_) return;
  if (reply != nullptr) self->heard_ms_ = uv_now(self->loop_);
  if (!pending || !pending->callback) return;
  if (reply == nullptr) {
    pending->callback(RedisReply::error("connection lost: " + context_error(context)));
    return;
  }
  pending->callback(copy_reply(static_cast<redisReply*>(reply)));
}

void RedisConnection::fail_later(ReplyCallback callback, std::string reason) {
  if (!callback) return;
  failures_.emplace_back(std::move(callback), std::move(reason));
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(failure_timer_))) {
    uv_timer_start(failure_timer_, [](uv_timer_t* timer) {
      static_cast<RedisConnection*>(timer->data)->flush_failures();
    }, 0, 0);
  }
}

void RedisConnection::flush_failures() {
  auto failures = std::move(failures_);
  failures_.clear();
  for (auto& [callback, reason] : failures) {
    if (closing_) return;
    callback(RedisReply::error(reason));
  }
}

// Replies come in order, so an answered probe also bounds how long every earlier command waited.
void RedisConnection::probe() {
  if (state_ != LinkState::connected || context_ == nullptr) return;
  const std::uint64_t now = uv_now(loop_);
  if (probe_outstanding_) {
    // Anything heard counts, and so does what waits in the socket: the loop may have been busy.
    const std::uint64_t silent_ms = now - std::max(probe_sent_ms_, heard_ms_);
    if (silent_ms >= options_.reply_timeout_ms && bytes_waiting(context_->c.fd) == 0) {
      drop_link("nothing heard for " + std::to_string(silent_ms) + " ms");
    }
    return;
  }
  probe_outstanding_ = true;
  probe_sent_ms_ = now;
  if ((context_->c.flags & REDIS_SUBSCRIBED) != 0) {
    // Subscribing again to a channel yields one more "subscribe" confirmation: a PING that works.
    if (!send({"SUBSCRIBE", kProbeChannel}, &RedisConnection::on_subscription_reply, nullptr)) drop_link("cannot send a probe");
    return;
  }
  const std::uint64_t generation = link_generation_;
  auto* pending = new Pending{[this, generation](const RedisReply&) {
    if (generation == link_generation_) probe_outstanding_ = false;
  }};
  if (!send({"PING"}, &RedisConnection::on_reply, pending)) {
    delete pending;
    drop_link("cannot send a probe");
  }
}

void RedisConnection::set_message_handler(MessageCallback on_message, SubscribedCallback on_subscribed) {
  on_message_ = std::move(on_message);
  on_subscribed_ = std::move(on_subscribed);
}

void RedisConnection::subscribe(const std::string& channel) {
  if (channels_.count(channel) != 0) return;
  channels_[channel] = false;
  if (state_ == LinkState::connected) send_subscribe(channel);
}

void RedisConnection::unsubscribe(const std::string& channel) {
  if (channels_.erase(channel) == 0) return;
  if (state_ == LinkState::connected) send({"UNSUBSCRIBE", channel}, nullptr, nullptr);
}

void RedisConnection::send_subscribe(const std::string& channel) {
  // One callback per channel lives in hiredis for the life of the link; privdata stays null.
  if (!send({"SUBSCRIBE", channel}, &RedisConnection::on_subscription_reply, nullptr)) {
    drop_link("cannot send SUBSCRIBE");
  }
}

void RedisConnection::on_subscription_reply(redisAsyncContext* context, void* reply, void* /*privdata*/) {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (self == nullptr || self->closing_ || reply == nullptr || self->context_ != context) return;
  self->heard_ms_ = uv_now(self->loop_);
  const auto* r = static_cast<const redisReply*>(reply);
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || r->element[0]->type != REDIS_REPLY_STRING ||
      r->element[1]->type != REDIS_REPLY_STRING) {
    return;
  }
  const std::string kind(r->element[0]->str, r->element[0]->len);
  const std::string channel(r->element[1]->str, r->element[1]->len);
  if (channel == kProbeChannel) {
    if (kind == "subscribe") self->probe_outstanding_ = false;
    return;
  }
  auto found = self->channels_.find(channel);
  if (found == self->channels_.end()) return;  // unsubscribed meanwhile
  if (kind == "subscribe") {
    found->second = true;
    if (self->on_subscribed_) self->on_subscribed_(channel);
  } else if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING) {
    if (self->on_message_) self->on_message_(channel, std::string(r->element[2]->str, r->element[2]->len));
  }
}

}  // namespace chat::redis
