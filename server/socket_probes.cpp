#include "server/socket_probes.hpp"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>

namespace chat {

std::size_t bytes_waiting(int fd) {
  int bytes = 0;
  if (::ioctl(fd, FIONREAD, &bytes) != 0 || bytes < 0) return 0;
  return static_cast<std::size_t>(bytes);
}

bool peer_gone(int fd) {
  char byte = 0;
  const ssize_t peeked = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

}  // namespace chat
