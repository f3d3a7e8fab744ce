// LwsServer's write path: frames queued per connection (send), written at the end of the loop
// iteration that queued them or on WRITEABLE, many to one write. Notes on lws 4.1.6 that shape it:
// - Writes are coalesced (write_batch.hpp): every queued frame (up to kWriteBatchBytes) is framed
//   into one buffer and handed to the kernel in one lws_write(LWS_WRITE_RAW). RAW bypasses lws's
//   framing, which is only correct because no extension (permessage-deflate) is ever offered and
//   the chat never runs over HTTP/2 (lws_context_setup.cpp pins ALPN). lws keeps any unsent
//   remainder itself and reports WRITEABLE again only once it is flushed, so frames never
//   interleave with the control frames lws writes (pong, close).
// - A shared broadcast buffer is never handed to lws_write (it may write into LWS_PRE before the
//   data): frames are copied into write_buffer_, which lws_write has finished with on return.
#include <libwebsockets.h>

#include "server/log.hpp"
#include "server/lws/connection.hpp"
#include "server/lws/lws_server.hpp"
#include "server/lws/server_loop.hpp"
#include "server/lws/socket_options.hpp"
#include "server/socket_probes.hpp"
#include "server/lws/websocket_frame.hpp"
#include "server/lws/write_batch.hpp"

namespace chat {

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
  return !connection.outgoing.empty() || (connection.ping_due && connection.pinged_ms == 0);
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
  const bool go_on = !iteration_end_handler_ || iteration_end_handler_([this] { return more_input_waiting(); });
  forget_readers();
  if (go_on) flush_dirty();
}

// Whether a connection read in this iteration has more in its socket (FIONREAD): lws reads at
// most its small receive buffer per iteration, so a burst is still arriving.
bool LwsServer::more_input_waiting() const {
  for (const SessionId session : readers_) {
    const auto it = connections_.find(session);
    if (it != connections_.end() && bytes_waiting(lws_get_socket_fd(it->second->wsi)) > 0) return true;
  }
  return false;
}

void LwsServer::forget_readers() {
  for (const SessionId session : readers_) {
    if (const auto it = connections_.find(session); it != connections_.end()) it->second->read_this_iteration = false;
  }
  readers_.clear();
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
  const bool ping_owed = connection.ping_due && connection.pinged_ms == 0;
  fill_write_batch(write_buffer_, connection.outgoing, ping_owed);
  if (ping_owed) connection.pinged_ms = loop_->now();
  auto* bytes = reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE;
  if (lws_write(wsi, bytes, write_buffer_.size() - LWS_PRE, LWS_WRITE_RAW) < 0) return false;
  edge_metrics_.bytes_out += write_buffer_.size() - LWS_PRE;
  if (!connection.outgoing.empty()) lws_callback_on_writable(wsi);
  return true;
}

}  // namespace chat
