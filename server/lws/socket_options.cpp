// Socket options of a connection's descriptor (socket_options.hpp).
#include "server/lws/socket_options.hpp"

#include <sys/socket.h>

namespace chat {

void limit_send_buffer(int fd) { ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSendBufferBytes, sizeof kSendBufferBytes); }

void reset_on_close(int fd) {
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
}

}  // namespace chat
