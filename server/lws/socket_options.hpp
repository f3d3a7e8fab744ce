// What the edge sets on a connection's socket directly, beside lws: its send buffer, a reset on
// close. Plain POSIX calls on a descriptor (the questions asked of it: server/socket_probes.hpp).
#pragma once

#include <cstddef>

namespace chat {

// The kernel's send buffer of a chat connection. Left to autotuning, Linux grows it to tcp_wmem's
// maximum (4 MiB) for a client that stops reading, which doubled what such a client held on the
// server beyond the 4 MiB queue. 256 KiB (the kernel books twice that) still carries hundreds of
// lines or four 64 KiB ones per send; the queue holds the rest.
constexpr int kSendBufferBytes = 256 * 1024;

void limit_send_buffer(int fd);
// A zero linger makes the close a reset: nothing unsent lingers in the kernel (LwsServer::kill).
void reset_on_close(int fd);

}  // namespace chat
