// The libwebsockets edge: one context and vhost serving the web client over HTTP and the chat over
// WebSocket on the same port. It turns lws callbacks into SessionHandler events and drains each
// connection's OutgoingQueue when the socket is writable. It decides nothing about chat.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/config.hpp"
#include "server/connection_counter.hpp"
#include "server/connection_policy.hpp"
#include "server/lws/descriptor_reserve.hpp"
#include "server/lws/edge_metrics.hpp"
#include "server/lws/handshake_guard.hpp"
#include "server/lws/http_edge.hpp"
#include "server/lws/liveness_sweep.hpp"
#include "server/lws/metrics_listener.hpp"
#include "server/lws/sweep_rotation.hpp"
#include "server/ports/session_handler.hpp"
#include "server/ports/transport.hpp"

struct lws;
struct lws_context;

struct lws_http_mount;

struct uv_loop_s;

namespace chat {

struct Connection;
class ServerLoop;

class LwsServer final : public Transport {
 public:
  explicit LwsServer(const ServerConfig& config);
  ~LwsServer() override;
  LwsServer(const LwsServer&) = delete;
  LwsServer& operator=(const LwsServer&) = delete;

  // Creates the context and starts listening. Returns false (after logging why) on failure.
  bool start(SessionHandler& handler);
  int port() const { return port_; }
  // Serves until SIGINT/SIGTERM, then closes every client with 1001 (waiting up to
  // --shutdown-grace for them to go), destroys the context and returns.
  void run();
  // Runs at the end of every loop iteration, after the I/O callbacks and before queued frames are
  // written (the store's group commit: lines committed there go out in the same iteration). Can
  // ask whether a connection read in this iteration has more input waiting in its socket (one
  // ioctl per such connection: asked only when a commit could wait for it); returns false to put
  // this iteration's work off (CommitDeferral), and the writes wait with it.
  using IterationEndHandler = std::function<bool(const std::function<bool()>& more_input_waiting)>;
  void set_iteration_end_handler(IterationEndHandler handler) { iteration_end_handler_ = std::move(handler); }
  // Runs once when the server stops, before the loop winds down: others' handles on the loop
  // (the cluster engine's links) must close then, or the loop would never end.
  void set_shutdown_handler(std::function<void()> handler) { shutdown_handler_ = std::move(handler); }
  // The libuv loop everything runs on; valid after a successful start().
  uv_loop_s* loop();
  // An iteration's end within delay_ms even without I/O (for work an iteration-end handler put
  // off until a time); after a successful start().
  void wake_after(std::uint64_t delay_ms);

  // Once serving (after start(), when the rest of the program is ready): /readyz may answer 200.
  void mark_serving() { serving_ = true; }
  // Asked on each /readyz: empty when the store takes work, else why it does not (the 503's body).
  void set_readiness_probe(std::function<std::string()> probe) { readiness_probe_ = std::move(probe); }

  // --metrics-listen: what GET /metrics answers (set before start); the port it listens on (-1: off).
  void set_metrics_renderer(MetricsListener::Renderer renderer) { metrics_listener_.set_renderer(std::move(renderer)); }
  int metrics_port() const { return metrics_listener_.port(); }
  const EdgeMetrics& metrics() const { return edge_metrics_; }
  std::size_t connection_count() const { return connections_.size(); }

  // The address a per-address limit should count for this session (X-Forwarded-For believed only
  // from a --trusted-proxy); empty for an unknown session.
  std::string client_address(SessionId session) const;

  void send(SessionId session, const SharedText& text) override;
  void pause_reading(SessionId session, bool paused) override;
  void close(SessionId session, int close_code, const std::string& reason) override;

  // The lws protocol callback; public only so the C callback table can name it.
  static int callback(lws* wsi, int reason, void* user, void* in, std::size_t len);

 private:
  // lws_server.cpp: a connection's life, set-up and shutdown.
  int on_established(lws* wsi, Connection& connection);
  int on_receive(lws* wsi, Connection& connection, const void* in, std::size_t len);
  void on_closed(Connection& connection);
  void drop(Connection& connection, int close_status, const std::string& reason);
  void start_loop_handles();
  std::optional<HttpAnswer> health(std::string_view path) const;
  void begin_shutdown();
  void schedule_finish(int delay_ms);
  void finish_shutdown();
  // lws_server_checks.cpp: what lws does not check.
  int on_confirm_upgrade(lws* wsi, const char* upgrade);
  int refuse_malformed_upgrade(lws* wsi);
  int on_peer_close(lws* wsi, Connection& connection, const void* in, std::size_t len);
  void on_protocol_dropped(lws* wsi, Connection& connection);
  // lws_server_writes.cpp: the write path.
  int on_writeable(lws* wsi, Connection& connection);
  bool write_batch(lws* wsi, Connection& connection);
  void mark_dirty(Connection& connection);
  static bool has_output(const Connection& connection);
  void end_iteration();
  bool more_input_waiting() const;
  void forget_readers();
  void flush_dirty();
  // lws_server_liveness.cpp: the liveness sweep and the handshake guard.
  void heard_from(Connection& connection);
  void sweep_silent();
  bool shows_life(Connection& connection);
  bool peer_took_bytes(Connection& connection);
  void handshake_addressed(lws* wsi);
  void handshake_over(lws* wsi);
  void request_complete(lws* wsi);
  void kill_guarded_handshakes();
  void notice_stall(std::uint64_t now);
  void restart_clocks(std::uint64_t now);
  void kill(lws* wsi);

  ServerConfig config_;
  ConnectionPolicy policy_;
  ConnectionCounter counter_;
  HttpEdge http_;
  MetricsListener metrics_listener_;
  EdgeMetrics edge_metrics_;
  SessionHandler* handler_ = nullptr;
  IterationEndHandler iteration_end_handler_;
  std::function<void()> shutdown_handler_;
  std::unique_ptr<lws_http_mount> mount_;
  lws_context* context_ = nullptr;
  int port_ = 0;
  DescriptorReserve descriptors_;  // for when the process runs out of descriptors
  bool serving_ = false;
  std::function<std::string()> readiness_probe_;
  bool shutting_down_ = false;
  bool finished_ = false;
  std::unique_ptr<ServerLoop> loop_;  // made by start()
  std::vector<SessionId> dirty_;             // sessions sent something during this iteration
  std::vector<SessionId> readers_;           // sessions that sent us something this iteration
  // Accepted, first request not complete yet: each holds (or waits for) one of lws's header buffers.
  HandshakeGuard handshakes_;
  LivenessSweep liveness_;
  SessionId next_session_ = 1;
  std::unordered_map<SessionId, Connection*> connections_;
  std::vector<Connection*> sweep_order_;  // the same connections, for sweep_silent's slices
  SweepRotation sweep_rotation_;         // which of sweep_order_ each tick looks at
  std::string write_buffer_;  // LWS_PRE bytes + framed batch, reused for every lws_write
};

}  // namespace chat
