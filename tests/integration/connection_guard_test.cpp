// What the edge counts as an unfinished request, against the real server: answered requests are
// not (a classroom behind one NAT address browses and chats), and a flood of
// silent sockets from many addresses, each under its cap, does not make an honest client wait.
#include "chat_fixture.hpp"
#include "http_client.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

namespace chat_it {
namespace {

using ConnectionGuardTest = ChatServerTest;

// One GET, its response read whole (Content-Length); the server then ends the connection (one
// answer per connection, see PROTOCOL.md "HTTP").
bool get_once(TestSocket& socket, std::uint16_t port, Deadline deadline) {
  const std::string request = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
  if (!socket.send_all(request, deadline)) return false;
  std::string buffer;
  try {
    const HttpHead head = read_http_head(socket, buffer, deadline);
    if (head.status != 200) return false;
    const std::size_t length = std::stoul(head.header("content-length"));
    while (buffer.size() < length) {
      if (socket.read_some(buffer, deadline) != TestSocket::ReadStatus::data) return false;
    }
    return buffer.size() == length;
  } catch (const std::exception&) {
    return false;
  }
}

// 100 browsers of one classroom (one NAT address) load the page, each kept open by the client
// after its answer: answered requests are not unfinished ones, so the same address still gets its
// WebSocket at once (the 65th request used to be reset, and the WebSocket after it).
TEST_F(ConnectionGuardTest, AnsweredRequestsDoNotCountAgainstTheirAddress) {
  const std::string classroom = "127.0.0.3";
  constexpr int kBrowsers = 100;
  std::vector<TestSocket> browsers;
  int answered = 0;
  for (int i = 0; i < kBrowsers; ++i) {
    browsers.push_back(TestSocket::connect_loopback(port(), kReplyTimeout, classroom));
    if (get_once(browsers.back(), port(), deadline_in(kReplyTimeout))) ++answered;
  }
  ASSERT_EQ(answered, kBrowsers);

  HandshakeOptions from_classroom;
  from_classroom.source = classroom;
  auto student = std::make_unique<ChatTestClient>(port(), from_classroom);
  student->expect_rooms();
  student->login("student");
  expect_served("general", {student.get()});
  // The server ends each answered connection by itself.
  const auto deadline = deadline_in(kReplyTimeout);
  for (int i = 0; i < kBrowsers; ++i) {
    std::string ignored;
    TestSocket::ReadStatus status;
    while ((status = browsers[i].read_some(ignored, deadline)) == TestSocket::ReadStatus::data) {
    }
    ASSERT_EQ(status, TestSocket::ReadStatus::closed) << "answered connection " << i << " still open";
  }
  expect_served("general", {student.get()});
}

// ---- a flood of silent sockets from many addresses ----

// The test process holds every flood socket: its descriptor limit is raised to the hard limit.
int raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<int>(limit.rlim_cur);
}

constexpr int kFloodAddresses = 40;
constexpr int kFloodPerAddress = 50;  // under the per-address cap of 64 unfinished requests

// 2 000 sockets that never send a byte, 50 from each of 40 addresses (each under its cap), are
// more than lws's 1 024 header buffers. Before the guard cut the oldest under pressure, a newcomer
// waited in lws's queue for a buffer until the first of them timed out (10 s after it opened).
// Now an honest client's handshake takes what a round trip takes; the bound asserted is generous
// for a loaded machine and still far under what the bug cost.
TEST_F(ConnectionGuardTest, SilentFloodFromManyAddressesDoesNotDelayAnHonestHandshake) {
  const int limit = raise_descriptor_limit();
  if (limit < kFloodAddresses * kFloodPerAddress + 200) GTEST_SKIP() << "descriptor limit " << limit << " too low";
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  std::vector<TestSocket> flood;
  flood.reserve(kFloodAddresses * kFloodPerAddress);
  int refused = 0;
  for (int i = 0; i < kFloodAddresses * kFloodPerAddress; ++i) {
    try {
      flood.push_back(TestSocket::connect_loopback(port(), milliseconds(3000),
                                                   "127.0.3." + std::to_string(i / kFloodPerAddress + 1)));
    } catch (const HarnessFailure&) {
      ++refused;  // reset by the server before the connect completed on our side
    }
  }
  const auto started = Clock::now();
  HandshakeOptions honest;
  honest.timeout = milliseconds(15000);  // so that a slow handshake is measured, not thrown
  auto carol = std::make_unique<ChatTestClient>(port(), honest);
  const auto handshake_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - started).count();
  carol->expect_rooms();
  carol->login("carol");
  std::printf("[ timing   ] honest handshake took %lld ms with %zu silent sockets opened (%d refused)\n",
              static_cast<long long>(handshake_ms), flood.size(), refused);
  EXPECT_LT(handshake_ms, 3000);
  expect_served("general", {alice.get(), bob.get(), carol.get()});
}

// Answered keep-alive connections are not capped per address, but each may hold a header buffer
// again as soon as it sends part of its next request, which lws does not report: 1 100 of them
// from one address, each answered and then stalled inside a second request, are cut oldest first
// beyond three quarters of the pool, so a newcomer still finds a buffer at once.
TEST_F(ConnectionGuardTest, KeptAliveConnectionsStalledInTheirNextRequestDoNotLockNewcomersOut) {
  const int limit = raise_descriptor_limit();
  constexpr int kStalled = 1100;
  if (limit < kStalled + 200) GTEST_SKIP() << "descriptor limit " << limit << " too low";
  const std::string attacker = "127.0.0.4";
  // Fast, as an attacker would: every request sent before any answer is read, then every
  // connection stalled inside its next request, all within lws's keep-alive timeout (5 s).
  const std::string request = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) + "\r\n\r\n";
  std::vector<TestSocket> stalled;
  stalled.reserve(kStalled);
  constexpr int kBatch = 50;  // under the 64 unfinished requests one address may have at once
  for (int first = 0; first < kStalled; first += kBatch) {
    std::vector<TestSocket> batch;
    for (int i = first; i < std::min(first + kBatch, kStalled); ++i) {
      try {
        auto socket = TestSocket::connect_loopback(port(), milliseconds(3000), attacker);
        if (socket.send_all(request, deadline_in(kReplyTimeout))) batch.push_back(std::move(socket));
      } catch (const HarnessFailure&) {
      }
    }
    for (auto& socket : batch) {
      std::string buffer;
      try {
        if (read_http_head(socket, buffer, deadline_in(kReplyTimeout)).status == 200) {
          stalled.push_back(std::move(socket));
        }
      } catch (const HarnessFailure&) {
      }
    }
  }
  const std::string partial = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) + "\r\n";
  for (auto& socket : stalled) socket.send_all(partial, deadline_in(kReplyTimeout));
  const auto started = Clock::now();
  HandshakeOptions honest;
  honest.timeout = milliseconds(15000);
  auto carol = std::make_unique<ChatTestClient>(port(), honest);
  const auto handshake_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - started).count();
  std::printf("[ timing   ] honest handshake took %lld ms with %zu kept-alive connections stalled in a request\n",
              static_cast<long long>(handshake_ms), stalled.size());
  EXPECT_LT(handshake_ms, 3000);
  carol->expect_rooms();
  carol->login("carol");
  expect_served("general", {carol.get()});
}

}  // namespace
}  // namespace chat_it
