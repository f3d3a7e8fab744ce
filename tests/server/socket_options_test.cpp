// socket_options: the options the edge sets on a connection's descriptor, on real loopback TCP
// sockets (the questions asked of a socket: socket_probes_test.cpp).
#include "server/lws/socket_options.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

namespace chat {
namespace {

// A connected loopback TCP pair: the client's descriptor and the accepted one.
struct TcpPair {
  int client = -1;
  int server = -1;
  TcpPair() {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener, 1), 0);
    EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
    client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ::close(listener);
  }
  ~TcpPair() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
  }
};

TEST(SocketOptions, ResetOnCloseEndsTheConnectionWithAReset) {
  TcpPair tcp;
  ASSERT_GE(tcp.server, 0);
  reset_on_close(tcp.server);
  ::close(tcp.server);
  tcp.server = -1;
  char byte;
  EXPECT_EQ(::recv(tcp.client, &byte, 1, 0), -1);  // not 0: no orderly FIN
  EXPECT_EQ(errno, ECONNRESET);
}

TEST(SocketOptions, SendBufferIsFixedAtMostAtTheLimit) {
  TcpPair tcp;
  ASSERT_GE(tcp.server, 0);
  limit_send_buffer(tcp.server);
  int size = 0;
  socklen_t length = sizeof size;
  ASSERT_EQ(::getsockopt(tcp.server, SOL_SOCKET, SO_SNDBUF, &size, &length), 0);
  EXPECT_LE(size, 2 * kSendBufferBytes);  // the kernel books twice what is asked (capped by wmem_max)
  EXPECT_GT(size, 2 * 16 * 1024);         // above tcp_wmem's default start: the call took effect
}

}  // namespace
}  // namespace chat
