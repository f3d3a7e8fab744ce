// socket_probes: what is asked of a socket without reading it, on a real Unix socket pair.
#include "server/socket_probes.hpp"

#include <sys/socket.h>
#include <unistd.h>

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

TEST(SocketProbes, BytesWaitingCountsWhatNobodyReadYet) {
  Pair pair;
  EXPECT_EQ(bytes_waiting(pair.b), 0u);
  ASSERT_EQ(::write(pair.a, "hello", 5), 5);
  EXPECT_EQ(bytes_waiting(pair.b), 5u);
  char buffer[5];
  ASSERT_EQ(::read(pair.b, buffer, sizeof buffer), 5);
  EXPECT_EQ(bytes_waiting(pair.b), 0u);
  EXPECT_EQ(bytes_waiting(-1), 0u);  // cannot tell: nothing
}

TEST(SocketProbes, PeerGoneOnlyOnceThePeerClosed) {
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

}  // namespace
}  // namespace chat
