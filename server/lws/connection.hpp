// One WebSocket connection as the edge keeps it, shared by LwsServer's files. lws's per-session
// storage is raw memory that lws zeroes and frees: the Connection is built in it with placement new
// on ESTABLISHED and destroyed on CLOSED, so a zero id means "closed before ESTABLISHED".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "server/config.hpp"
#include "server/lws/message_assembler.hpp"
#include "server/lws/outgoing_queue.hpp"
#include "server/ports/session_handler.hpp"

struct lws;

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
  std::uint64_t pinged_ms = 0;       // ... and the loop time it was written (0: not yet)
  bool close_handled = false;        // the peer's close frame was echoed or failed: lws closes
  std::uint64_t acked_baseline = 0;  // bytes the peer had acknowledged when first seen silent (0: unset)
  std::uint16_t close_code = 0;
  std::string close_reason;
  std::string client_address;  // ConnectionPolicy::client_address, taken at the handshake
  std::size_t sweep_slot = 0;  // index in LwsServer::sweep_order_
};

}  // namespace chat
