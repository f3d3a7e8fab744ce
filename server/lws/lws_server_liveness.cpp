// LwsServer's watch over connections that may be dead or stuck: the liveness sweep (a slice of the
// connections every tick: LivenessSweep judges, SweepRotation paces, the socket shows signs of
// life), the handshake guard's hooks (HandshakeGuard decides which unfinished requests to cut),
// a stalled loop restarting everyone's clocks, and the kill both use.
#include <libwebsockets.h>

#include <sys/socket.h>

#include <vector>

#include "server/log.hpp"
#include "server/lws/bytes_acked.hpp"
#include "server/lws/connection.hpp"
#include "server/lws/lws_request.hpp"
#include "server/lws/lws_server.hpp"
#include "server/lws/server_loop.hpp"
#include "server/lws/socket_options.hpp"
#include "server/socket_probes.hpp"

namespace chat {

void LwsServer::heard_from(Connection& connection) {
  connection.last_heard_ms = loop_->now();
  connection.acked_baseline = 0;
  connection.ping_due = false;
  connection.pinged_ms = 0;
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
    const LivenessSweep::Peer peer{connection->last_heard_ms, connection->ping_due, connection->pinged_ms,
                                   connection->closing, connection->closing_since_ms};
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

}  // namespace chat
