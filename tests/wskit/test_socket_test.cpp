// TestSocket against a real loopback listener: a reset is told apart from an orderly close.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/wskit/test_socket.hpp"

namespace wskit {
namespace {

// A listening socket on 127.0.0.1 and a kernel-chosen port; accept() gives the server side.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd_); }
  std::uint16_t port() const { return port_; }
  int accept() { return ::accept(fd_, nullptr, nullptr); }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Reads until the end; returns what came.
std::string read_to_end(TestSocket& socket) {
  std::string bytes;
  const Deadline deadline = deadline_in(milliseconds(5000));
  for (;;) {
    const auto status = socket.read_some(bytes, deadline);
    if (status == TestSocket::ReadStatus::closed) return bytes;
    EXPECT_NE(status, TestSocket::ReadStatus::timeout);
    if (status == TestSocket::ReadStatus::timeout) return bytes;
  }
}

TEST(TestSocket, AnOrderlyCloseIsNotAReset) {
  Listener listener;
  TestSocket client = TestSocket::connect_loopback(listener.port(), milliseconds(5000));
  const int server = listener.accept();
  ASSERT_GE(server, 0);
  ASSERT_EQ(::write(server, "half", 4), 4);
  ::close(server);
  EXPECT_EQ(read_to_end(client), "half");
  EXPECT_FALSE(client.was_reset());
}

TEST(TestSocket, AResetIsToldApart) {
  Listener listener;
  TestSocket client = TestSocket::connect_loopback(listener.port(), milliseconds(5000));
  const int server = listener.accept();
  ASSERT_GE(server, 0);
  // Data the server never read makes close() send a RST (RFC 2525 2.17), as SO_LINGER 0 does.
  ASSERT_TRUE(client.send_all("unread", deadline_in(milliseconds(5000))));
  linger abort_now{1, 0};
  ASSERT_EQ(::setsockopt(server, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now), 0);
  ::close(server);
  read_to_end(client);
  EXPECT_TRUE(client.was_reset());
}

}  // namespace
}  // namespace wskit
