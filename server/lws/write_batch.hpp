// The batch one WRITEABLE (or the end of a loop iteration) hands to the kernel: the ping a silent
// connection is owed, then as many queued messages as fit, framed back to back in one buffer, so
// that one send() carries many frames instead of one each. Pure: no libwebsockets here; the edge
// writes the buffer with lws_write(LWS_WRITE_RAW) (lws_server_writes.cpp says why that is safe).
#pragma once

#include <cstddef>
#include <string>

#include "server/lws/outgoing_queue.hpp"

namespace chat {

// A batch's bound in framed bytes. Also lws's tx_packet_size (lws_context_setup.cpp), so that
// lws hands a whole batch to one send().
constexpr std::size_t kWriteBatchBytes = 64 * 1024;

// Appends to `out` a ping frame when `ping_owed`, then frames taken off the front of `queue` until
// the next would take what was appended past `max_bytes`. A batch of nothing yet always takes one
// message, however large; a ping counts as something, so a large message after one waits for the
// next batch. Returns the number of bytes appended.
std::size_t fill_write_batch(std::string& out, OutgoingQueue& queue, bool ping_owed,
                             std::size_t max_bytes = kWriteBatchBytes);

}  // namespace chat
