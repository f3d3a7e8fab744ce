#include "server/lws/bytes_acked.hpp"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace chat {

std::optional<std::uint64_t> bytes_acked(int socket_fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(socket_fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return std::nullopt;
  return info.tcpi_bytes_acked;
}

}  // namespace chat
