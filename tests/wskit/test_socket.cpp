// Loopback sockets for the tests: non-blocking descriptors driven by poll() so that every call
// honours its deadline; TLS through OpenSSL's SSL API on the same descriptor.
#include "tests/wskit/test_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include "tests/wskit/errno_text.hpp"

namespace wskit {
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


SSL_CTX* client_tls_context() {
  static SSL_CTX* const context = [] {
    ::signal(SIGPIPE, SIG_IGN);  // OpenSSL writes with write(), not send(MSG_NOSIGNAL)
    SSL_CTX* created = SSL_CTX_new(TLS_client_method());
    if (created) SSL_CTX_set_verify(created, SSL_VERIFY_NONE, nullptr);
    return created;
  }();
  return context;
}

// "h2,http/1.1" -> OpenSSL's wire format: each name preceded by its length.
std::string alpn_wire(const std::string& names) {
  std::string wire;
  std::size_t start = 0;
  while (start < names.size()) {
    const std::size_t end = std::min(names.find(',', start), names.size());
    wire += static_cast<char>(end - start);
    wire += names.substr(start, end - start);
    start = end + 1;
  }
  return wire;
}

std::string tls_error_text() {
  char text[256] = "";
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  return text;
}

}  // namespace

TestSocket TestSocket::connect_loopback(std::uint16_t port, milliseconds timeout, const std::string& source) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw HarnessFailure(errno_text("socket"));
  TestSocket socket(fd);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small frames go out at once
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      throw HarnessFailure(errno_text(("bind to " + source).c_str()));
    }
  }
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

TestSocket::TestSocket(TestSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), ssl_(std::exchange(other.ssl_, nullptr)), reset_(other.reset_) {}

TestSocket& TestSocket::operator=(TestSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    ssl_ = std::exchange(other.ssl_, nullptr);
    reset_ = other.reset_;
  }
  return *this;
}

void TestSocket::start_tls(Deadline deadline, const std::string& alpn) {
  SSL_CTX* context = client_tls_context();
  ssl_ = context ? SSL_new(context) : nullptr;
  if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1) throw HarnessFailure("TLS set-up failed: " + tls_error_text());
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  const std::string wire = alpn_wire(alpn);
  if (!wire.empty()) {
    SSL_set_alpn_protos(ssl_, reinterpret_cast<const unsigned char*>(wire.data()), static_cast<unsigned>(wire.size()));
  }
  for (;;) {
    const int result = SSL_connect(ssl_);
    if (result == 1) return;
    if (!wait_for_tls(result, deadline)) throw HarnessFailure("TLS handshake failed or timed out: " + tls_error_text());
  }
}

std::string TestSocket::alpn_selected() const {
  const unsigned char* name = nullptr;
  unsigned length = 0;
  if (ssl_) SSL_get0_alpn_selected(ssl_, &name, &length);
  return name ? std::string(reinterpret_cast<const char*>(name), length) : std::string();
}

bool TestSocket::wait_for_tls(int result, Deadline deadline) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ: return wait_ready(fd_, POLLIN, deadline);
    case SSL_ERROR_WANT_WRITE: return wait_ready(fd_, POLLOUT, deadline);
    default: return false;
  }
}

bool TestSocket::send_tls(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    ERR_clear_error();
    const int sent = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)));
    if (sent > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    } else if (!wait_for_tls(sent, deadline)) {
      return false;
    }
  }
  return true;
}

TestSocket::ReadStatus TestSocket::read_tls(std::string& out, Deadline deadline) {
  char buffer[64 * 1024];
  for (;;) {
    ERR_clear_error();
    const int got = SSL_read(ssl_, buffer, sizeof buffer);
    if (got > 0) {
      out.append(buffer, static_cast<std::size_t>(got));
      return ReadStatus::data;
    }
    const int error = SSL_get_error(ssl_, got);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return ReadStatus::closed;
    if (!wait_for_tls(got, deadline)) return ReadStatus::timeout;
  }
}

TestSocket::~TestSocket() { close(); }

bool TestSocket::send_all(std::string_view bytes, Deadline deadline) {
  if (ssl_) return fd_ >= 0 && send_tls(bytes, deadline);
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
  if (ssl_) return read_tls(out, deadline);
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got > 0) {
      out.append(buffer, static_cast<std::size_t>(got));
      return ReadStatus::data;
    }
    if (got == 0) return ReadStatus::closed;
    if (errno == EINTR) continue;
    if (errno == ECONNRESET) reset_ = true;
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
  // No close_notify: the tests look at what the server does when a client just goes.
  if (ssl_) SSL_free(std::exchange(ssl_, nullptr));
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

}  // namespace wskit
