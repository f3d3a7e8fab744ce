// A blocking loopback TCP socket whose every wait is bounded by a deadline (poll), so that no
// integration test can hang on the network; optionally TLS (OpenSSL) on top. Knows nothing about
// HTTP or WebSocket.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

struct ssl_st;

namespace wskit {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;
using std::chrono::milliseconds;

inline Deadline deadline_in(milliseconds timeout) { return Clock::now() + timeout; }

// Thrown by the test harness when the server breaks the protocol or a wait times out; gtest
// reports it as a failure of the test that was running, with this text.
struct HarnessFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class TestSocket {
 public:
  enum class ReadStatus { data, timeout, closed };

  // Connects to 127.0.0.1:port; throws HarnessFailure if that fails within the timeout.
  // `source`: the local address to connect from, any of 127.0.0.0/8 (default: the kernel's pick,
  // 127.0.0.1), so that tests can be several clients' addresses.
  static TestSocket connect_loopback(std::uint16_t port, milliseconds timeout, const std::string& source = {});

  TestSocket() = default;
  TestSocket(TestSocket&& other) noexcept;
  TestSocket& operator=(TestSocket&& other) noexcept;
  TestSocket(const TestSocket&) = delete;
  TestSocket& operator=(const TestSocket&) = delete;
  ~TestSocket();

  // TLS client handshake over the connected socket, offering `alpn` (comma-separated, e.g.
  // "h2,http/1.1"; empty: no ALPN). The server's certificate is not verified: tests use a
  // self-signed one. Throws HarnessFailure if the handshake fails or times out.
  void start_tls(Deadline deadline, const std::string& alpn = "");
  bool is_tls() const { return ssl_ != nullptr; }
  // The protocol the server selected with ALPN; empty if none.
  std::string alpn_selected() const;

  // False if the peer is gone or the bytes could not all be written before the deadline.
  bool send_all(std::string_view bytes, Deadline deadline);
  // Appends what arrives (at most one read) to out. `closed` covers both FIN and RST;
  // was_reset() tells them apart afterwards.
  ReadStatus read_some(std::string& out, Deadline deadline);
  // The connection ended with a reset (ECONNRESET), not the peer's orderly close: what was in
  // flight may be cut anywhere.
  bool was_reset() const { return reset_; }
  // SO_LINGER 0 then close: the peer sees a RST, as when a machine drops off the network.
  void abort();
  void close();
  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }

 private:
  explicit TestSocket(int fd) : fd_(fd) {}
  ReadStatus read_tls(std::string& out, Deadline deadline);
  bool send_tls(std::string_view bytes, Deadline deadline);
  // After an SSL call failed with `result`: waits for what OpenSSL wants; false if it cannot go on.
  bool wait_for_tls(int result, Deadline deadline);
  int fd_ = -1;
  ssl_st* ssl_ = nullptr;
  bool reset_ = false;
};

}  // namespace wskit
