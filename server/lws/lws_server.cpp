// The libwebsockets callback switch and its wiring: set-up and shutdown, a connection's life
// (established, receiving, closed) and the Transport calls. The rest of LwsServer is in
// lws_server_checks.cpp (what lws does not check), lws_server_writes.cpp (the write path) and
// lws_server_liveness.cpp (the liveness sweep and the handshake guard).
#include "server/lws/lws_server.hpp"

#include <libwebsockets.h>

#include <new>
#include <utility>

#include "server/log.hpp"
#include "server/lws/connection.hpp"
#include "server/lws/descriptor_reserve.hpp"
#include "server/lws/lws_context_setup.hpp"
#include "server/lws/lws_request.hpp"
#include "server/lws/server_loop.hpp"
#include "server/lws/socket_options.hpp"
#include "server/lws/sweep_rotation.hpp"
#include "server/lws/tls_reload.hpp"
#include "server/lws/write_batch.hpp"

namespace chat {

namespace {

constexpr std::size_t kReceiveBufferBytes = 512;

}  // namespace

LwsServer::LwsServer(const ServerConfig& config)
    : config_(config), policy_(config.allowed_origins, config.trusted_proxies),
      counter_(config.no_limits ? 0 : config.max_connections, config.no_limits ? 0 : config.max_connections_per_address),
      http_(config),
      handshakes_(handshake_limits(config.no_limits)),
      liveness_(LivenessSweep::pinging_after(static_cast<std::uint64_t>(config.ping_after_ms))) {}

LwsServer::~LwsServer() {
  if (context_) lws_context_destroy(context_);
}

// Files served by the mount never reach LWS_CALLBACK_HTTP: FILTER_HTTP_CONNECTION is the one
// callback every complete HTTP request gets, on a kept-alive connection's later requests too.
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
      return server->http_.add_headers(wsi, in);
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

// Clients that send no Sec-WebSocket-Protocol (browsers' `new WebSocket(url)`, the seed's clients)
// are bound to protocols[0] by lws 4.1.6, so the chat protocol is first, and the same callback
// serves HTTP through lws_callback_http_dummy and the mount. lws_write caps each send() (and so
// each SSL_write) at the protocol's tx_packet_size, or, when that is 0, at rx_buffer_size +
// LWS_PRE + 4: with our 512-byte receive buffer a 64 KiB batch would go out in 532-byte pieces,
// the rest copied into lws's buflist. tx_packet_size is not allocated per connection, so it is
// set to the batch size.
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

void LwsServer::wake_after(std::uint64_t delay_ms) { loop_->wake_after(delay_ms); }

void LwsServer::finish_shutdown() {
  if (finished_) return;
  finished_ = true;
  if (shutdown_handler_) shutdown_handler_();
  // Every handle of ours is closed, or the loop, and so run(), would never end.
  loop_->close_handles();
  lws_context_destroy(context_);  // first stage: closes what is left and detaches from the loop
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
  const bool last = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
  const auto status = connection.incoming.take(piece, lws_frame_is_binary(wsi) != 0, last);
  if (status == MessageAssembler::Status::too_large) {
    log_line(LogLevel::info, "session %llu: message over %zu bytes, closing with 1009",
             static_cast<unsigned long long>(connection.id), config_.limits.max_frame_bytes);
    set_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large");
    edge_metrics_.closed_with(LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
    return -1;
  }
  if (status == MessageAssembler::Status::partial) return 0;
  if (connection.incoming.binary()) {
    handler_->receive_binary(connection.id);
  } else {
    handler_->receive_text(connection.id, connection.incoming.message());
  }
  connection.incoming.reset();
  return 0;
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
