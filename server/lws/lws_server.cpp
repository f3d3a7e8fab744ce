// Notes on libwebsockets 4.1.6 that shape this file:
// - Clients that send no Sec-WebSocket-Protocol (browsers' `new WebSocket(url)`, the seed's
//   clients) are bound to protocols[0], so the chat protocol is first, and the same callback
//   serves HTTP through lws_callback_http_dummy and the mount.
// - Per-session storage is raw memory that lws zeroes and frees: the Connection object is built
//   in it with placement new on ESTABLISHED and destroyed on CLOSED.
// - Writes are coalesced: on WRITEABLE every queued frame (up to kWriteBatchBytes) is framed into
//   one buffer and handed to the kernel in one lws_write(LWS_WRITE_RAW), one send() for many
//   frames instead of one each. RAW bypasses lws's framing, which is only correct because no
//   extension (permessage-deflate) is ever offered and the chat never runs over HTTP/2. lws keeps
//   any unsent remainder itself and reports WRITEABLE again only once it is flushed, so frames
//   never interleave with the control frames lws writes (pong, close).
// - A shared broadcast buffer is never handed to lws_write (it may write into LWS_PRE before the
//   data): frames are copied into write_buffer_, which lws_write has finished with on return.
#include "server/lws/lws_server.hpp"

#include <libwebsockets.h>

#include <sys/resource.h>
#include <uv.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "server/log.hpp"
#include "server/lws/message_assembler.hpp"
#include "server/lws/outgoing_queue.hpp"
#include "server/lws/websocket_frame.hpp"

namespace chat {

struct ShutdownTimer {
  lws_sorted_usec_list_t sul;  // first, so the timer callback can get back to the struct
  LwsServer* server;
};

struct Connection {
  Connection(lws* socket, SessionId session_id, const ServerConfig& config)
      : wsi(socket), id(session_id), incoming(config.limits.max_frame_bytes),
        outgoing(config.max_queued_bytes) {}

  lws* wsi;
  SessionId id;
  MessageAssembler incoming;
  OutgoingQueue outgoing;
  bool closing = false;  // a close was decided; the next WRITEABLE sends it and returns -1
  std::uint16_t close_code = 0;
  std::string close_reason;
};

namespace {

constexpr std::size_t kReceiveBufferBytes = 512;
constexpr std::size_t kWriteBatchBytes = 64 * 1024;
constexpr int kShutdownGraceMs = 2000;

const lws_protocol_vhost_options kWasmMime{nullptr, nullptr, ".wasm", "application/wasm"};
const lws_protocol_vhost_options kFontMime{&kWasmMime, nullptr, ".ttf", "font/ttf"};
const lws_protocol_vhost_options kJsMime{&kFontMime, nullptr, ".js", "text/javascript"};

lws_retry_bo_t idle_policy() {
  lws_retry_bo_t policy{};
  policy.secs_since_valid_ping = 5;     // silent this long: send a ping
  policy.secs_since_valid_hangup = 10;  // nothing back (pong or data) this long: drop
  return policy;
}
const lws_retry_bo_t kIdlePolicy = idle_policy();

// lws_close_reason wants a writable buffer; it only copies from it.
void set_close_reason(lws* wsi, lws_close_status status, std::string_view reason) {
  std::string copy(reason);
  lws_close_reason(wsi, status, reinterpret_cast<unsigned char*>(copy.data()), copy.size());
}

// The connection table is sized from this; without it lws sizes it from `ulimit -n`, which can be
// a million entries.
unsigned fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  return static_cast<unsigned>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
}

void forward_lws_log(int level, const char* line) {
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  log_line(level == LLL_ERR ? LogLevel::error : level == LLL_WARN ? LogLevel::warn : LogLevel::debug,
           "lws: %s", text.c_str());
}

}  // namespace

LwsServer::LwsServer(const ServerConfig& config) : config_(config) {}

LwsServer::~LwsServer() {
  if (context_) lws_context_destroy(context_);
}

int LwsServer::callback(lws* wsi, int reason_code, void* user, void* in, std::size_t len) {
  const auto reason = static_cast<lws_callback_reasons>(reason_code);
  auto* server = static_cast<LwsServer*>(lws_context_user(lws_get_context(wsi)));
  auto* connection = static_cast<Connection*>(user);
  switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
      return server->on_established(wsi, *connection);
    case LWS_CALLBACK_RECEIVE:
      return server->on_receive(wsi, *connection, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return server->on_writeable(wsi, *connection);
    case LWS_CALLBACK_CLOSED:
      server->on_closed(*connection);
      return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:  // lws_cancel_service() from wake() or a signal
      if (server && server->wake_handler_) server->wake_handler_();
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

namespace {

int protocol_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  return LwsServer::callback(wsi, static_cast<int>(reason), user, in, len);
}

const lws_protocols kProtocols[] = {
    {"chat", protocol_callback, sizeof(Connection), kReceiveBufferBytes, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

}  // namespace

bool LwsServer::start(SessionHandler& handler) {
  handler_ = &handler;
  lws_set_log_level(log_enabled(LogLevel::debug) ? (LLL_ERR | LLL_WARN | LLL_NOTICE) : (LLL_ERR | LLL_WARN),
                    forward_lws_log);

  mount_ = std::make_unique<lws_http_mount>();
  mount_->mountpoint = "/";
  mount_->mountpoint_len = 1;
  mount_->origin = config_.web_root.c_str();
  mount_->def = "index.html";
  mount_->origin_protocol = LWSMPRO_FILE;
  mount_->extra_mimetypes = &kJsMime;

  lws_context_creation_info info{};
  info.port = config_.port;
  info.iface = config_.host.c_str();
  info.protocols = kProtocols;
  info.mounts = mount_.get();
  info.user = this;
  info.retry_and_idle_policy = &kIdlePolicy;
  info.timeout_secs = 10;  // handshakes and HTTP transactions that stall are dropped
  // libuv (epoll) instead of lws's default poll(), which costs O(all connections) per wakeup.
  // lws then owns SIGINT/SIGTERM and reports them on the loop thread through signal_cb.
  info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN;
  info.signal_cb = &LwsServer::on_stop_signal;
  info.fd_limit_per_thread = fd_limit();
  // No LWS_SERVER_OPTION_VALIDATE_UTF8: lws would close the connection on invalid UTF-8, where
  // the protocol answers with an invalid_utf8 refusal and keeps the connection.
  context_ = lws_create_context(&info);
  if (!context_) {
    log_line(LogLevel::error, "cannot listen on %s:%d", config_.host.c_str(), config_.port);
    return false;
  }
  port_ = lws_get_vhost_listen_port(lws_get_vhost_by_name(context_, "default"));
  return true;
}

void LwsServer::run() {
  lws_service(context_, 0);  // with libuv: returns once the loop has stopped
  // The second call completes the destruction begun in finish_shutdown (libuv needs its loop to
  // close handles in between).
  lws_context_destroy(context_);
  context_ = nullptr;
}

void LwsServer::wake() {
  if (context_) lws_cancel_service(context_);
}

// SIGINT/SIGTERM, delivered by libuv on the loop thread: say goodbye (1001) to every client,
// wait for them to go (or for the grace period), then stop.
void LwsServer::on_stop_signal(void* event_lib_handle, int signal_number) {
  auto* context = static_cast<lws_context*>(static_cast<uv_signal_t*>(event_lib_handle)->data);
  auto* server = static_cast<LwsServer*>(lws_context_user(context));
  log_line(LogLevel::info, "signal %d: closing %zu connections", signal_number, server->connections_.size());
  server->begin_shutdown();
}

void LwsServer::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  for (auto& [id, connection] : connections_) drop(*connection, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
  if (connections_.empty()) return finish_shutdown();
  shutdown_timer_ = std::make_unique<ShutdownTimer>();
  shutdown_timer_->server = this;
  lws_sul_schedule(context_, 0, &shutdown_timer_->sul, [](lws_sorted_usec_list_t* sul) {
    reinterpret_cast<ShutdownTimer*>(sul)->server->finish_shutdown();  // sul is the first member
  }, kShutdownGraceMs * LWS_US_PER_MS);
}

void LwsServer::finish_shutdown() {
  if (finished_) return;
  finished_ = true;
  if (shutdown_timer_) lws_sul_cancel(&shutdown_timer_->sul);
  lws_context_destroy(context_);  // first stage: closes what is left and lets the loop end
}

int LwsServer::on_established(lws* wsi, Connection& connection) {
  const SessionId id = next_session_++;
  new (&connection) Connection(wsi, id, config_);
  connections_.emplace(id, &connection);
  if (shutting_down_) {
    drop(connection, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
    return 0;
  }
  handler_->connect(id);
  return 0;
}

int LwsServer::on_receive(lws* wsi, Connection& connection, const void* in, std::size_t len) {
  if (connection.closing) return 0;
  const std::string_view piece(static_cast<const char*>(in), len);
  if (!connection.incoming.append(piece, lws_frame_is_binary(wsi) != 0)) {
    log_line(LogLevel::info, "session %llu: message over %zu bytes, closing with 1009",
             static_cast<unsigned long long>(connection.id), config_.limits.max_frame_bytes);
    set_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large");
    return -1;
  }
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) > 0) return 0;
  if (connection.incoming.binary()) {
    handler_->receive_binary(connection.id);
  } else {
    handler_->receive_text(connection.id, connection.incoming.message());
  }
  connection.incoming.reset();
  return 0;
}

int LwsServer::on_writeable(lws* wsi, Connection& connection) {
  if (connection.closing) {
    // Written by hand: in lws 4.1.6, lws_close_reason() followed by returning -1 from WRITEABLE
    // (under libuv) frees the connection before its close frame goes out.
    write_buffer_.assign(LWS_PRE, '\0');
    append_close_frame(write_buffer_, connection.close_code, connection.close_reason);
    lws_write(wsi, reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE,
              write_buffer_.size() - LWS_PRE, LWS_WRITE_RAW);
    return -1;
  }
  if (connection.outgoing.empty()) return 0;
  write_buffer_.assign(LWS_PRE, '\0');
  // Always at least one frame, however large; then as many as fit the batch.
  do {
    append_text_frame(write_buffer_, connection.outgoing.front());
    connection.outgoing.pop();
  } while (!connection.outgoing.empty() &&
           write_buffer_.size() + text_frame_size(connection.outgoing.front().size()) <= LWS_PRE + kWriteBatchBytes);
  auto* bytes = reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE;
  if (lws_write(wsi, bytes, write_buffer_.size() - LWS_PRE, LWS_WRITE_RAW) < 0) return -1;
  if (!connection.outgoing.empty()) lws_callback_on_writable(wsi);
  return 0;
}

void LwsServer::on_closed(Connection& connection) {
  if (connection.id == 0) return;  // closed before ESTABLISHED: nothing was built
  connections_.erase(connection.id);
  handler_->disconnect(connection.id);
  connection.~Connection();
  if (shutting_down_ && connections_.empty()) finish_shutdown();
}

void LwsServer::send(SessionId session, const SharedText& text) {
  const auto it = connections_.find(session);
  if (it == connections_.end() || it->second->closing) return;
  Connection& connection = *it->second;
  const bool was_idle = connection.outgoing.empty();
  if (!connection.outgoing.push(text)) {
    log_line(LogLevel::warn, "session %llu: %zu bytes queued and not read, closing with 1008",
             static_cast<unsigned long long>(session), connection.outgoing.bytes());
    drop(connection, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too slow: not reading");
    return;
  }
  if (was_idle) lws_callback_on_writable(connection.wsi);
}

void LwsServer::close(SessionId session, int close_code, const std::string& reason) {
  const auto it = connections_.find(session);
  if (it != connections_.end() && !it->second->closing) drop(*it->second, close_code, reason);
}

void LwsServer::drop(Connection& connection, int close_status, const std::string& reason) {
  connection.closing = true;
  connection.close_code = static_cast<std::uint16_t>(close_status);
  connection.close_reason = reason;
  connection.outgoing.clear();
  lws_callback_on_writable(connection.wsi);
}

}  // namespace chat
