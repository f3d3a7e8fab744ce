// How many bytes the peer of a TCP socket has acknowledged so far (the kernel's count), kept in a
// file of its own: the field is in <linux/tcp.h>'s tcp_info, which clashes with the older copy in
// <netinet/tcp.h> that libuv's header brings into the server's edge.
#pragma once

#include <cstdint>
#include <optional>

namespace chat {

std::optional<std::uint64_t> bytes_acked(int socket_fd);

}  // namespace chat
