// Notes on libwebsockets 4.1.6 that shape this file:
// - Clients that send no Sec-WebSocket-Protocol (browsers' `new WebSocket(url)`, the seed's
//   clients) are bound to protocols[0], so the chat protocol is first, and the same callback
//   serves HTTP through lws_callback_http_dummy and the mount.
// - Per-session storage is raw memory that lws zeroes and frees: the Connection object is built
//   in it with placement new on ESTABLISHED and destroyed on CLOSED.
// - Writes are coalesced (write_batch.hpp): on WRITEABLE every queued frame (up to kWriteBatchBytes)
//   is framed into one buffer and handed to the kernel in one lws_write(LWS_WRITE_RAW). RAW
//   bypasses lws's framing, which is only correct because no extension (permessage-deflate) is
//   ever offered and the chat never runs over HTTP/2. lws keeps any unsent remainder itself and
//   reports WRITEABLE again only once it is flushed, so frames never interleave with the control
//   frames lws writes (pong, close).
// - A shared broadcast buffer is never handed to lws_write (it may write into LWS_PRE before the
//   data): frames are copied into write_buffer_, which lws_write has finished with on return.
// - lws_write caps each send() (and so each SSL_write) at the protocol's tx_packet_size, or, when
//   that is 0, at rx_buffer_size + LWS_PRE + 4: with our 512-byte receive buffer a 64 KiB batch
//   would go out in 532-byte pieces, the rest copied into lws's buflist. tx_packet_size is not
//   allocated per connection, so it is set to the batch size.
// - The Origin check is at LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, not FILTER_PROTOCOL_CONNECTION: in
//   4.1.6 a non-zero return from FILTER drops the TCP connection with no HTTP answer at all, while
//   CONFIRM_UPGRADE may answer 403 itself and lws then completes the HTTP transaction.
// - lws checks neither Sec-WebSocket-Version nor -Key, echoes close frames with codes of 5000 and
//   up or reasons that are not UTF-8, and ends a control frame over 125 bytes or a 64-bit length
//   with bit 63 set with no close frame at all. The edge checks the handshake at CONFIRM_UPGRADE,
//   close frames at WS_PEER_INITIATED_CLOSE (non-zero skips the echo), and writes the missing 1002
//   at WS_SERVER_DROP_PROTOCOL, the last callback before lws shuts the socket down (CLOSED is after).
// - Files served by the mount never reach LWS_CALLBACK_HTTP: FILTER_HTTP_CONNECTION is the one
//   callback every complete HTTP request gets, on a kept-alive connection's later requests too.
#include "server/lws/lws_server.hpp"

#include <libwebsockets.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "server/log.hpp"
#include "server/lws/bytes_acked.hpp"
#include "server/lws/descriptor_reserve.hpp"
#include "server/lws/lws_context_setup.hpp"
#include "server/lws/message_assembler.hpp"
#include "server/lws/lws_request.hpp"
#include "server/lws/outgoing_queue.hpp"
#include "server/lws/server_loop.hpp"
#include "server/lws/socket_options.hpp"
#include "server/lws/sweep_rotation.hpp"
#include "server/lws/tls_reload.hpp"
#include "server/lws/websocket_frame.hpp"
#include "server/lws/websocket_rules.hpp"
#include "server/lws/write_batch.hpp"

namespace chat {

struct Connection {
  Connection(lws* socket, SessionId session_id, const ServerConfig& config)
      : wsi(socket), id(session_id), incoming(config.limits.max_frame_bytes),
        outgoing(config.max_queued_bytes) {}

  lws* wsi;
  SessionId id;
  MessageAssembler incoming;
  OutgoingQueue outgoing;
  bool closing = false;  // a close was decided; the next WRITEABLE sends it and returns -1
  bool dirty = false;    // listed in dirty_: frames were queued during this loop iteration
  bool read_this_iteration = false;  // listed in readers_
  bool reading_paused = false;       // by the core, until its earlier requests take effect
  std::uint64_t last_heard_ms = 0;   // loop time of the last frame or pong received
  std::uint64_t closing_since_ms = 0;
  bool ping_due = false;             // silent too long: a ping is owed (cleared by any frame)
  bool ping_sent = false;            // ... and was written
  bool close_handled = false;        // the peer's close frame was echoed or failed: lws closes
  std::uint64_t acked_baseline = 0;  // bytes the peer had acknowledged when first seen silent (0: unset)
  std::uint16_t close_code = 0;
  std::string close_reason;
  std::string client_address;  // ConnectionPolicy::client_address, taken at the handshake
  std::size_t sweep_slot = 0;  // index in LwsServer::sweep_order_
};

namespace {

constexpr std::size_t kReceiveBufferBytes = 512;

}  // namespace

LwsServer::LwsServer(const ServerConfig& config)
    : config_(config), policy_(config.allowed_origins, config.trusted_proxies),
      counter_(config.no_limits ? 0 : config.max_connections, config.no_limits ? 0 : config.max_connections_per_address),
      http_(config),
      handshakes_(handshake_limits(config.no_limits)) {}

LwsServer::~LwsServer() {
  if (context_) lws_context_destroy(context_);
}

int LwsServer::callback(lws* wsi, int reason_code, void* user, void* in, std::size_t len) {
  const auto reason = static_cast<lws_callback_reasons>(reason_code);
  auto* server = static_cast<LwsServer*>(lws_context_user(lws_get_context(wsi)));
  auto* connection = static_cast<Connection*>(user);
  switch (reason) {
    case LWS_CALLBACK_WSI_CREATE:  // a TCP connection was accepted: its request is awaited
      server->handshakes_.started(reinterpret_cast<HandshakeGuard::Id>(wsi), server->loop_->now());
      return 0;
    case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:  // ... and now has its socket
      server->handshake_addressed(wsi);
      return 0;
    case LWS_CALLBACK_WSI_DESTROY:
      server->handshake_over(wsi);
      return 0;
    case LWS_CALLBACK_FILTER_HTTP_CONNECTION:  // a complete HTTP request (not an upgrade): see http_edge.cpp
      server->request_complete(wsi);
      return server->http_.filter_request(wsi, std::string_view(static_cast<const char*>(in), len), server->mount_.get());
    case LWS_CALLBACK_HTTP:  // ... that no mount serves
      server->request_complete(wsi);
      return lws_callback_http_dummy(wsi, reason, user, in, len);
    case LWS_CALLBACK_ADD_HEADERS:
      return HttpEdge::add_headers(wsi, in);
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
      return -1;  // one answer per connection
    case LWS_CALLBACK_RAW_ADOPT:  // only CONNECT comes here
      return server->http_.refuse_connect(wsi);
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      if (server->http_.filter_upgrade(wsi) != 0) return -1;
      return server->on_confirm_upgrade(wsi, static_cast<const char*>(in));
    case LWS_CALLBACK_ESTABLISHED:
      return server->on_established(wsi, *connection);
    case LWS_CALLBACK_RECEIVE:
      server->heard_from(*connection);
      return server->on_receive(wsi, *connection, in, len);
    case LWS_CALLBACK_RECEIVE_PONG:
      server->heard_from(*connection);
      return 0;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      return server->on_peer_close(wsi, *connection, in, len);
    case LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL:
      server->on_protocol_dropped(wsi, *connection);
      return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return server->on_writeable(wsi, *connection);
    case LWS_CALLBACK_CLOSED:
      server->on_closed(*connection);
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
    {"chat", protocol_callback, sizeof(Connection), kReceiveBufferBytes, 0, nullptr, kWriteBatchBytes},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

}  // namespace

bool LwsServer::start(SessionHandler& handler) {
  handler_ = &handler;
  forward_lws_log();

  mount_ = make_web_root_mount(config_, kProtocols[0].name);
  loop_ = std::make_unique<ServerLoop>();
  context_ = create_lws_context(config_, kProtocols, mount_.get(), loop_->loop(), this);
  // With a foreign libuv loop, lws 4.1.6 returns a context even when it failed (port taken, TLS
  // files unusable): half destroyed, without its default vhost, waiting for the loop to finish.
  lws_vhost* vhost = context_ ? lws_get_vhost_by_name(context_, "default") : nullptr;
  const bool metrics_ok = !vhost || config_.metrics_port < 0 ||
                          metrics_listener_.start(context_, config_.metrics_host, config_.metrics_port);
  if (!vhost || !metrics_ok) {
    log_line(LogLevel::error, "cannot listen on %s:%d%s", config_.host.c_str(), config_.port,
             config_.tls_cert_file.empty() ? "" : " or load the TLS certificate and key (see lws's lines above)");
    if (context_) {
      run();  // lets lws close its handles, completes the destruction, closes the loop
    } else {
      loop_->close();
    }
    loop_.reset();
    return false;
  }
  port_ = lws_get_vhost_listen_port(vhost);
  descriptors_.arm(port_);
  start_loop_handles();
  http_.set_answerer([this](std::string_view path) { return health(path); });
  return true;
}

std::optional<HttpAnswer> LwsServer::health(std::string_view path) const {
  const ServingPhase phase = shutting_down_ ? ServingPhase::shutting_down
                             : serving_     ? ServingPhase::serving
                                            : ServingPhase::starting;
  return health_answer(path, phase, readiness_probe_ ? readiness_probe_() : std::string());
}

void LwsServer::start_loop_handles() {
  ServerLoop::Hooks hooks;
  hooks.stop = [this](int signal_number) {
    log_line(LogLevel::info, "signal %d: closing %zu connections", signal_number, connections_.size());
    begin_shutdown();
  };
  hooks.reload = [this] { reload_tls_on_sighup(context_, config_.tls_cert_file, config_.tls_key_file); };
  hooks.iteration_end = [this] { end_iteration(); };
  hooks.tick = [this] { sweep_silent(); };
  hooks.grace_over = [this] { finish_shutdown(); };
  loop_->start_handles(std::move(hooks), SweepRotation::kTickMs);
}

void LwsServer::heard_from(Connection& connection) {
  connection.last_heard_ms = loop_->now();
  connection.acked_baseline = 0;
  connection.ping_due = false;
  connection.ping_sent = false;
}

// Kills happen after the scan, since a kill reports CLOSED, which changes connections_. They are
// synchronous: an async kill is an lws timer, which nothing re-arms when it is set from outside
// lws's own callbacks on a foreign loop, so it never fired.
void LwsServer::sweep_silent() {
  const std::uint64_t now = loop_->now();
  notice_stall(now);
  std::vector<lws*> to_kill;
  auto slice = sweep_rotation_.next(sweep_order_.size());
  for (std::size_t i = 0; i < slice.length(); ++i) {
    Connection* connection = sweep_order_[slice.at(i)];
    const LivenessSweep::Peer peer{connection->last_heard_ms, connection->ping_due, connection->closing,
                                   connection->closing_since_ms};
    const auto verdict = liveness_.judge(peer, now);
    if (LivenessSweep::about_silence(verdict) && !connection->closing && shows_life(*connection)) {
      heard_from(*connection);
      continue;
    }
    if (verdict == LivenessSweep::Verdict::drop) {
      log_line(LogLevel::info, "session %llu: silent for %llu ms, dropping",
               static_cast<unsigned long long>(connection->id),
               static_cast<unsigned long long>(now - connection->last_heard_ms));
      to_kill.push_back(connection->wsi);
      ++edge_metrics_.dead_dropped;
    } else if (verdict == LivenessSweep::Verdict::reset) {
      log_line(LogLevel::info, "session %llu: close frame not taken in time, resetting",
               static_cast<unsigned long long>(connection->id));
      to_kill.push_back(connection->wsi);
    } else if (verdict == LivenessSweep::Verdict::ping && slice.take_ping()) {
      connection->ping_due = true;  // written with the next batch, right after this sweep
      mark_dirty(*connection);
    }
  }
  for (lws* wsi : to_kill) kill(wsi);
}

// Called by the sweep (every 10 ms) and at the end of every iteration, whichever runs first
// after a stall: the handshakes' deadlines are checked at the end of the iteration that resumes.
void LwsServer::notice_stall(std::uint64_t now) {
  if (liveness_.stalled(now)) restart_clocks(now);
}

// Nobody could be heard while the loop stood still: silence, and the handshakes' deadlines, start
// again from now (a connection that is really gone is then pinged and dropped as usual).
void LwsServer::restart_clocks(std::uint64_t now) {
  log_line(LogLevel::warn, "the event loop stalled: restarting the silence of %zu connections", sweep_order_.size());
  for (Connection* connection : sweep_order_) {
    if (!connection->closing) connection->last_heard_ms = now;
  }
  handshakes_.restart_clocks(now);
}

// Signs of life the sweep looks for before calling a connection silent: bytes waiting in its
// socket that the loop has not read yet, or a peer busy reading a backlog (peer_took_bytes).
bool LwsServer::shows_life(Connection& connection) {
  if (connection.reading_paused) return true;  // the core stopped reading it: its silence is ours
  if (bytes_waiting(lws_get_socket_fd(connection.wsi)) > 0) return true;
  return peer_took_bytes(connection);
}

// A peer reading a backlog acknowledges it (LivenessSweep::took_backlog), by the kernel's count.
bool LwsServer::peer_took_bytes(Connection& connection) {
  const auto acked = bytes_acked(lws_get_socket_fd(connection.wsi));
  return acked && LivenessSweep::took_backlog(connection.acked_baseline, *acked);
}

// The peer address is known only once lws has the socket; lws ignores this callback's return
// value, so a connection over its network's cap is killed at the end of the iteration.
void LwsServer::handshake_addressed(lws* wsi) {
  const std::string address = peer_address(wsi);
  if (!handshakes_.addressed(reinterpret_cast<HandshakeGuard::Id>(wsi), address, policy_.trusts(address))) {
    log_line(LogLevel::debug, "refused a connection from %s: too many requests unfinished from its network",
             address.c_str());
  }
}

void LwsServer::handshake_over(lws* wsi) { handshakes_.finished(reinterpret_cast<HandshakeGuard::Id>(wsi)); }

// A complete request is no longer unfinished; its connection, kept alive, is lws's to time out
// (idle 5 s between requests), and the guard's to cut only when buffers run short.
void LwsServer::request_complete(lws* wsi) {
  handshakes_.answered(reinterpret_cast<HandshakeGuard::Id>(wsi), loop_->now());
}

// Refused, expired and evicted handshakes; each id is still a live, guarded connection (the guard
// forgets a connection when lws destroys it).
void LwsServer::kill_guarded_handshakes() {
  const std::uint64_t now = loop_->now();
  notice_stall(now);
  for (const HandshakeGuard::Id id : handshakes_.take_kills(now)) kill(reinterpret_cast<lws*>(id));
}

// Ends a connection now, whatever lws and the kernel hold for it. A plain lws close waits, without
// end on a foreign loop, to flush what it buffered for a peer that stopped reading; shutting the
// socket down first makes that flush fail at once, and lws then frees the connection itself.
// The zero linger turns the close into a reset: otherwise the kernel keeps the orphaned socket,
// with up to its whole send buffer (4 MiB on loopback) unsent, for as long as the peer's zero
// window is probed, and the peer learns of the end only after reading all of it, if ever.
void LwsServer::kill(lws* wsi) {
  const int fd = lws_get_socket_fd(wsi);
  reset_on_close(fd);
  ::shutdown(fd, SHUT_RDWR);
  lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
}

void LwsServer::run() {
  loop_->run();                   // returns once every handle is closed (finish_shutdown)
  lws_context_destroy(context_);  // second stage: frees what the first stage let go
  context_ = nullptr;
  loop_->run();
  loop_->close();
}

// SIGINT/SIGTERM: say goodbye (1001) to every client, wait for them to go (at most
// --shutdown-grace), then stop.
void LwsServer::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  for (auto& [id, connection] : connections_) drop(*connection, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
  schedule_finish(connections_.empty() ? 0 : static_cast<int>(config_.shutdown_grace_ms));
}

// Always from the timer: the context must not be destroyed from inside one of its own callbacks.
void LwsServer::schedule_finish(int delay_ms) { loop_->start_grace(static_cast<std::uint64_t>(delay_ms)); }

uv_loop_s* LwsServer::loop() { return loop_->loop(); }

void LwsServer::finish_shutdown() {
  if (finished_) return;
  finished_ = true;
  if (shutdown_handler_) shutdown_handler_();
  // Every handle of ours is closed, or the loop, and so run(), would never end.
  loop_->close_handles();
  lws_context_destroy(context_);  // first stage: closes what is left and detaches from the loop
}

// Browsers send Origin on every WebSocket handshake and let any page open one to any host: this
// check is what stops another site's page from chatting with its visitors' identity.
int LwsServer::on_confirm_upgrade(lws* wsi, const char* upgrade) {
  request_complete(wsi);  // answered now, or upgraded (then ESTABLISHED ends the guarding)
  if (!upgrade || strcasecmp(upgrade, "websocket") != 0) return 0;
  if (const int refused = refuse_malformed_upgrade(wsi)) return refused;
  const std::string peer = peer_address(wsi);
  const std::string client = policy_.client_address(peer, header(wsi, WSI_TOKEN_X_FORWARDED_FOR));
  if (!counter_.admits(network_key(client))) {
    log_line(LogLevel::warn, "refused a WebSocket from %s: connection cap reached (%zu open)", client.c_str(),
             counter_.total());
    return lws_return_http_status(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, "too many connections") ? -1 : 1;
  }
  const std::string scheme =
      policy_.request_scheme(peer, lws_is_ssl(wsi) != 0, custom_header(wsi, "x-forwarded-proto:"));
  const std::string origin = header(wsi, WSI_TOKEN_ORIGIN);
  const std::string host = header(wsi, WSI_TOKEN_HOST);
  if (policy_.accepts_origin(origin, host, scheme)) return 0;
  log_line(LogLevel::info, "refused a WebSocket from %s: origin %.200s is not %s://%.200s nor allowed", peer.c_str(),
           origin.c_str(), scheme.c_str(), host.c_str());
  // 1: we answered; lws finishes the HTTP transaction. -1 if even the answer failed: hang up.
  return lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, "origin not allowed") ? -1 : 1;
}

// lws 4.1.6 upgrades whatever Sec-WebSocket-Version and Sec-WebSocket-Key say: RFC 6455 4.2.2
// wants 426 naming the version we speak, and 400 for a key that is not base64 of 16 bytes.
// 1 when answered (lws completes the HTTP transaction), -1 if even the answer failed, 0: valid.
int LwsServer::refuse_malformed_upgrade(lws* wsi) {
  const auto verdict = check_upgrade(header(wsi, WSI_TOKEN_VERSION), header(wsi, WSI_TOKEN_KEY));
  if (verdict == UpgradeVerdict::accept) return 0;
  const bool version = verdict == UpgradeVerdict::unsupported_version;
  log_line(LogLevel::info, "refused a WebSocket from %s: %s", peer_address(wsi).c_str(),
           version ? "Sec-WebSocket-Version is not 13" : "malformed Sec-WebSocket-Key");
  if (version) {
    return answer_status(wsi, "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13 only\n",
                         "sec-websocket-version:", "13")
               ? -1
               : 1;
  }
  return answer_status(wsi, "HTTP/1.1 400 Bad Request", "malformed Sec-WebSocket-Key\n", nullptr, nullptr) ? -1 : 1;
}

// A peer's close frame, before lws echoes it (return 0). One RFC 6455 forbids (a 1-byte payload,
// a code no endpoint may send, a reason that is not UTF-8) fails the connection instead: our own
// close frame, then -1, on which lws closes TCP without echoing.
int LwsServer::on_peer_close(lws* wsi, Connection& connection, const void* in, std::size_t len) {
  connection.close_handled = true;
  const int code = close_frame_error(std::string_view(static_cast<const char*>(in), len));
  if (code == 0) return 0;
  log_line(LogLevel::info, "session %llu: malformed close frame, failing with %d",
           static_cast<unsigned long long>(connection.id), code);
  edge_metrics_.closed_with(code);
  write_buffer_.assign(LWS_PRE, '\0');
  append_close_frame(write_buffer_, static_cast<std::uint16_t>(code),
                     code == 1007 ? "close reason is not UTF-8" : "invalid close frame");
  lws_write(wsi, reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE, write_buffer_.size() - LWS_PRE,
            LWS_WRITE_RAW);
  return -1;
}

// lws gives up on a connection. It fails a few framing errors (a control frame over 125 bytes, a
// 64-bit length with its top bit set) by closing TCP with no close frame and no reason: when the
// connection is still ours to close (no close decided, sent or received, no reason set by lws,
// the peer still there), the 1002 that RFC 6455 7.1.7 asks for is sent here, before lws shuts the
// socket down.
void LwsServer::on_protocol_dropped(lws* wsi, Connection& connection) {
  if (connection.id == 0 || connection.closing || connection.close_handled || lws_get_close_length(wsi) > 0) return;
  connection.close_handled = true;
  if (peer_gone(lws_get_socket_fd(wsi))) return;
  log_line(LogLevel::info, "session %llu: framing error, closing with 1002", static_cast<unsigned long long>(connection.id));
  edge_metrics_.closed_with(LWS_CLOSE_STATUS_PROTOCOL_ERR);
  write_buffer_.assign(LWS_PRE, '\0');
  append_close_frame(write_buffer_, LWS_CLOSE_STATUS_PROTOCOL_ERR, "protocol error");
  lws_write(wsi, reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE, write_buffer_.size() - LWS_PRE,
            LWS_WRITE_RAW);
}

int LwsServer::on_established(lws* wsi, Connection& connection) {
  handshake_over(wsi);
  limit_send_buffer(lws_get_socket_fd(wsi));
  const SessionId id = next_session_++;
  new (&connection) Connection(wsi, id, config_);
  connections_.emplace(id, &connection);
  ++edge_metrics_.connections_opened;
  connection.sweep_slot = sweep_order_.size();
  sweep_order_.push_back(&connection);
  heard_from(connection);
  // The request headers are still attached here; lws drops them right after ESTABLISHED.
  const std::string peer = peer_address(wsi);
  connection.client_address = policy_.client_address(peer, header(wsi, WSI_TOKEN_X_FORWARDED_FOR));
  log_line(LogLevel::debug, "session %llu: client address %s (peer %s)", static_cast<unsigned long long>(id),
           connection.client_address.c_str(), peer.c_str());
  counter_.opened(connection.client_address);
  if (shutting_down_) {
    drop(connection, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
    return 0;
  }
  handler_->connect(id, connection.client_address);
  return 0;
}

int LwsServer::on_receive(lws* wsi, Connection& connection, const void* in, std::size_t len) {
  if (connection.closing) return 0;
  if (!connection.read_this_iteration) {
    connection.read_this_iteration = true;
    readers_.push_back(connection.id);
  }
  const std::string_view piece(static_cast<const char*>(in), len);
  if (!connection.incoming.append(piece, lws_frame_is_binary(wsi) != 0)) {
    log_line(LogLevel::info, "session %llu: message over %zu bytes, closing with 1009",
             static_cast<unsigned long long>(connection.id), config_.limits.max_frame_bytes);
    set_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large");
    edge_metrics_.closed_with(LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
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
  if (!has_output(connection)) return 0;
  return write_batch(wsi, connection) ? 0 : -1;
}

// Frames as many queued messages as fit one batch (always at least one, however large) and hands
// them to the kernel in one write; asks for WRITEABLE if some are left.
bool LwsServer::write_batch(lws* wsi, Connection& connection) {
  write_buffer_.assign(LWS_PRE, '\0');
  const bool ping_owed = connection.ping_due && !connection.ping_sent;
  fill_write_batch(write_buffer_, connection.outgoing, ping_owed);
  if (ping_owed) connection.ping_sent = true;
  auto* bytes = reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE;
  if (lws_write(wsi, bytes, write_buffer_.size() - LWS_PRE, LWS_WRITE_RAW) < 0) return false;
  edge_metrics_.bytes_out += write_buffer_.size() - LWS_PRE;
  if (!connection.outgoing.empty()) lws_callback_on_writable(wsi);
  return true;
}

// Runs once per loop iteration, after the I/O callbacks (a libuv check handle): every connection
// that was sent something during the iteration gets it now in one write. Waiting for WRITEABLE
// instead would cost two epoll_ctl calls and a loop iteration per delivery; writing at the end
// of the iteration still coalesces everything one event produced. lws only asks that nothing be
// written while an earlier write is partly buffered, so those wait for WRITEABLE.
// The handler may put the commit, and so these writes, off while input is still waiting (a burst).
void LwsServer::end_iteration() {
  if (DescriptorReserve::accept_lacked_descriptors()) descriptors_.turn_away_waiting_connections();
  kill_guarded_handshakes();
  const bool waiting = more_input_waiting();
  if (iteration_end_handler_ && !iteration_end_handler_(waiting)) return;
  flush_dirty();
}

// Whether a connection read in this iteration has more in its socket (FIONREAD): lws reads at
// most its small receive buffer per iteration, so a burst is still arriving.
bool LwsServer::more_input_waiting() {
  bool waiting = false;
  for (const SessionId session : readers_) {
    const auto it = connections_.find(session);
    if (it == connections_.end()) continue;
    it->second->read_this_iteration = false;
    waiting = waiting || bytes_waiting(lws_get_socket_fd(it->second->wsi)) > 0;
  }
  readers_.clear();
  return waiting;
}

void LwsServer::flush_dirty() {
  for (const SessionId session : dirty_) {
    const auto it = connections_.find(session);
    if (it == connections_.end()) continue;
    Connection& connection = *it->second;
    connection.dirty = false;
    if (connection.closing || !has_output(connection)) continue;
    if (lws_partial_buffered(connection.wsi)) {
      lws_callback_on_writable(connection.wsi);
    } else if (!write_batch(connection.wsi, connection)) {
      lws_set_timeout(connection.wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);  // write failed
    }
  }
  dirty_.clear();
}

void LwsServer::on_closed(Connection& connection) {
  if (connection.id == 0) return;  // closed before ESTABLISHED: nothing was built
  log_line(LogLevel::debug, "session %llu: closed", static_cast<unsigned long long>(connection.id));
  counter_.closed(connection.client_address);
  connections_.erase(connection.id);
  Connection* moved = sweep_order_.back();  // swap-remove
  sweep_order_[connection.sweep_slot] = moved;
  moved->sweep_slot = connection.sweep_slot;
  sweep_order_.pop_back();
  handler_->disconnect(connection.id);
  connection.~Connection();
  if (shutting_down_ && connections_.empty()) schedule_finish(0);
}

std::string LwsServer::client_address(SessionId session) const {
  const auto it = connections_.find(session);
  return it == connections_.end() ? std::string() : it->second->client_address;
}

void LwsServer::send(SessionId session, const SharedText& text) {
  const auto it = connections_.find(session);
  if (it == connections_.end() || it->second->closing) return;
  Connection& connection = *it->second;
  if (!connection.outgoing.push(text)) {
    log_line(LogLevel::warn, "session %llu: %zu bytes queued and not read, closing with 1008",
             static_cast<unsigned long long>(session), connection.outgoing.bytes());
    drop(connection, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too slow: not reading");
    return;
  }
  mark_dirty(connection);
}

void LwsServer::mark_dirty(Connection& connection) {
  if (connection.dirty) return;
  connection.dirty = true;
  dirty_.push_back(connection.id);
}

bool LwsServer::has_output(const Connection& connection) {
  return !connection.outgoing.empty() || (connection.ping_due && !connection.ping_sent);
}

// lws stops polling the socket for input; what it has already read of a message is kept.
void LwsServer::pause_reading(SessionId session, bool paused) {
  const auto it = connections_.find(session);
  if (it == connections_.end() || it->second->closing) return;
  it->second->reading_paused = paused;
  lws_rx_flow_control(it->second->wsi, paused ? 0 : 1);
}

void LwsServer::close(SessionId session, int close_code, const std::string& reason) {
  const auto it = connections_.find(session);
  if (it != connections_.end() && !it->second->closing) drop(*it->second, close_code, reason);
}

void LwsServer::drop(Connection& connection, int close_status, const std::string& reason) {
  connection.closing = true;
  edge_metrics_.closed_with(close_status);
  connection.closing_since_ms = loop_->now();
  connection.close_code = static_cast<std::uint16_t>(close_status);
  connection.close_reason = reason;
  connection.outgoing.clear();
  lws_callback_on_writable(connection.wsi);
}

}  // namespace chat
