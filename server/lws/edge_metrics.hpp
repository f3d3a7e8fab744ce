// The WebSocket edge's counters for /metrics: bytes written, close codes the server sent, dead
// peers dropped. Plain numbers bumped on the loop thread and read there by a scrape.
#pragma once

#include <cstdint>
#include <map>

namespace chat {

struct EdgeMetrics {
  std::uint64_t connections_opened = 0;  // WebSocket handshakes completed
  std::uint64_t bytes_out = 0;           // WebSocket bytes (frames and headers) handed to the kernel or TLS
  std::uint64_t dead_dropped = 0;        // connections dropped by the liveness sweep as silent
  // Close frames the server decided to send (or the failure it closed with), by code. Only the
  // server's own codes get here (a handful), so the map stays small.
  std::map<int, std::uint64_t> close_codes;

  void closed_with(int code) { ++close_codes[code]; }
};

}  // namespace chat
