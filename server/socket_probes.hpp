// Questions asked of a socket's descriptor without reading from it: the bytes waiting unread in
// it, whether its peer is gone. Plain POSIX calls, shared by the WebSocket edge (its connections)
// and the Redis edge (its links).
#pragma once

#include <cstddef>

namespace chat {

// Bytes the kernel holds that nobody has read yet (FIONREAD); 0 when it cannot tell.
std::size_t bytes_waiting(int fd);
// True when the peer has closed its side or the socket failed: a peek finds the end, or an error
// other than "nothing yet".
bool peer_gone(int fd);

}  // namespace chat
