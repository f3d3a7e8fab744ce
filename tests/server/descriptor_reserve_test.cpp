// DescriptorReserve and its helpers, on real loopback sockets: the listening socket is found by its
// port, lws's log line is recognised, and clients waiting in the backlog are reset, not left hanging.
#include "server/lws/descriptor_reserve.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace chat {
namespace {

// A loopback TCP socket bound to a port of the kernel's choice; listening (non-blocking, as lws's
// is) unless told otherwise.
struct Bound {
  int fd = -1;
  int port = 0;
  explicit Bound(bool listen = true) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    if (listen) {
      EXPECT_EQ(::listen(fd, 16), 0);
    }
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port = ntohs(address.sin_port);
  }
  ~Bound() { ::close(fd); }
};

// A blocking client connected to `port` (the kernel completes the handshake into the backlog).
int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  return fd;
}

std::size_t open_descriptors() {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                                std::filesystem::directory_iterator()));
}

TEST(DescriptorReserve, RecognisesLwsLineForAnAcceptOutOfDescriptors) {
  EXPECT_TRUE(says_accept_lacked_descriptors("accept: errno " + std::to_string(EMFILE)));
  EXPECT_TRUE(says_accept_lacked_descriptors("accept: errno " + std::to_string(ENFILE)));
  EXPECT_FALSE(says_accept_lacked_descriptors("accept: errno " + std::to_string(ECONNABORTED)));
  EXPECT_FALSE(says_accept_lacked_descriptors("accept: errno " + std::to_string(EMFILE) + "0"));
  EXPECT_FALSE(says_accept_lacked_descriptors("listen: errno " + std::to_string(EMFILE)));
}

TEST(DescriptorReserve, HearingTheLineRaisesTheFlagOnce) {
  EXPECT_FALSE(DescriptorReserve::accept_lacked_descriptors());
  DescriptorReserve::hear_lws_log("lws_create_context: LWS: 4.1.6");
  EXPECT_FALSE(DescriptorReserve::accept_lacked_descriptors());
  DescriptorReserve::hear_lws_log("accept: errno " + std::to_string(EMFILE));
  EXPECT_TRUE(DescriptorReserve::accept_lacked_descriptors());
  EXPECT_FALSE(DescriptorReserve::accept_lacked_descriptors());  // taken
}

TEST(DescriptorReserve, FindsTheListeningSocketByItsPort) {
  Bound listening;
  Bound not_listening(false);
  EXPECT_EQ(find_listening_fd(listening.port), listening.fd);
  EXPECT_EQ(find_listening_fd(not_listening.port), -1);
}

TEST(DescriptorReserve, HoldsOneSpareDescriptorWhileArmed) {
  Bound listening;
  const std::size_t before = open_descriptors();
  {
    DescriptorReserve reserve;
    reserve.arm(listening.port);
    EXPECT_EQ(open_descriptors(), before + 1);
    ASSERT_EQ(reserve.turn_away_waiting_connections(), 0);  // nobody waiting; the spare is taken again
    EXPECT_EQ(open_descriptors(), before + 1);
  }
  EXPECT_EQ(open_descriptors(), before);
}

TEST(DescriptorReserve, ResetsTheConnectionsWaitingInTheBacklog) {
  Bound listening;
  DescriptorReserve reserve;
  reserve.arm(listening.port);
  const int first = connect_to(listening.port);
  const int second = connect_to(listening.port);
  // Both are in the backlog once connect() returns on loopback; waiting for the listening socket
  // to be readable only keeps a slow machine from failing the test.
  int turned_away = 0;
  for (int round = 0; round < 50 && turned_away < 2; ++round) {
    pollfd readable{listening.fd, POLLIN, 0};
    ::poll(&readable, 1, 100);
    turned_away += reserve.turn_away_waiting_connections();
  }
  EXPECT_EQ(turned_away, 2);
  for (const int client : {first, second}) {
    char byte = 0;
    EXPECT_EQ(::recv(client, &byte, 1, 0), -1);
    EXPECT_EQ(errno, ECONNRESET);  // told at once, not left hanging
    ::close(client);
  }
}

TEST(DescriptorReserve, DoesNothingWithoutAListeningSocket) {
  Bound not_listening(false);
  DescriptorReserve reserve;
  reserve.arm(not_listening.port);
  EXPECT_EQ(reserve.turn_away_waiting_connections(), -1);
}

}  // namespace
}  // namespace chat
