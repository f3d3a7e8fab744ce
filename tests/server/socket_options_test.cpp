// socket_options: the probes and options the edge sets on a connection's descriptor, on real
// sockets (a Unix pair where any stream will do, loopback TCP where the option is TCP's).
#include "server/lws/socket_options.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

namespace chat {
namespace {

struct Pair {
  int a = -1;
  int b = -1;
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, &a), 0); }
  ~Pair() {
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
  }
};

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

TEST(SocketOptions, BytesWaitingCountsWhatNobodyReadYet) {
  Pair pair;
  EXPECT_EQ(bytes_waiting(pair.b), 0u);
  ASSERT_EQ(::write(pair.a, "hello", 5), 5);
  EXPECT_EQ(bytes_waiting(pair.b), 5u);
  char buffer[5];
  ASSERT_EQ(::read(pair.b, buffer, sizeof buffer), 5);
  EXPECT_EQ(bytes_waiting(pair.b), 0u);
  EXPECT_EQ(bytes_waiting(-1), 0u);  // cannot tell: nothing
}

TEST(SocketOptions, PeerGoneOnlyOnceThePeerClosed) {
  Pair pair;
  EXPECT_FALSE(peer_gone(pair.b));  // nothing yet, still there
  ASSERT_EQ(::write(pair.a, "x", 1), 1);
  EXPECT_FALSE(peer_gone(pair.b));  // data waiting: still there (and the byte is only peeked)
  EXPECT_EQ(bytes_waiting(pair.b), 1u);
  char byte;
  ASSERT_EQ(::read(pair.b, &byte, 1), 1);
  ::close(pair.a);
  pair.a = -1;
  EXPECT_TRUE(peer_gone(pair.b));
}

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
