// Loopback sockets for the integration tests: non-blocking descriptors driven by poll() so that
// every call honours its deadline.
#include "test_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace chat_it {
namespace {

int ms_left(Deadline deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// True when the descriptor is ready for `events` before the deadline.
bool wait_ready(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, ms_left(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

TestSocket TestSocket::connect_loopback(std::uint16_t port, milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw HarnessFailure(errno_text("socket"));
  TestSocket socket(fd);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small frames go out at once
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS) {
    throw HarnessFailure(errno_text("connect"));
  }
  if (!wait_ready(fd, POLLOUT, deadline_in(timeout))) {
    throw HarnessFailure("connect to port " + std::to_string(port) + " timed out");
  }
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) {
    throw HarnessFailure("connect to port " + std::to_string(port) + ": " + std::strerror(error));
  }
  return socket;
}

TestSocket::TestSocket(TestSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

TestSocket& TestSocket::operator=(TestSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

TestSocket::~TestSocket() { close(); }

bool TestSocket::send_all(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty() && fd_ >= 0) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_ready(fd_, POLLOUT, deadline)) return false;
    } else {
      return false;  // EPIPE / ECONNRESET: the peer has gone
    }
  }
  return bytes.empty();
}

TestSocket::ReadStatus TestSocket::read_some(std::string& out, Deadline deadline) {
  if (fd_ < 0) return ReadStatus::closed;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got > 0) {
      out.append(buffer, static_cast<std::size_t>(got));
      return ReadStatus::data;
    }
    if (got == 0) return ReadStatus::closed;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return ReadStatus::closed;
    if (!wait_ready(fd_, POLLIN, deadline)) return ReadStatus::timeout;
  }
}

void TestSocket::abort() {
  if (fd_ < 0) return;
  const linger hard{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  close();
}

void TestSocket::close() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

}  // namespace chat_it
