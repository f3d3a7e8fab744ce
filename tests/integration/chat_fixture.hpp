// The fixture every integration test uses: a fresh server per test (so tests run in parallel),
// clients that arrive already past the initial rooms frame, and the "still served" check.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "chat_test_client.hpp"
#include "server_process.hpp"

namespace chat_it {

// The password of the accounts the tests register.
inline constexpr const char* kPassword = "correct horse battery";
// Sign-ins hash with the real Argon2id (0.2 to 0.4 s a hash here) on two worker threads shared
// with other tests: a wait for an answer that needs a hash is longer than kReplyTimeout.
inline constexpr milliseconds kHashTimeout{30'000};

class ChatServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Stops the server and fails the test unless it exits 0 (a crash anywhere in the test shows here).
  void TearDown() override;
  // Flags the server of this fixture starts with (TLS, origins, proxies); none by default.
  virtual std::vector<std::string> server_flags() const { return {}; }
  // RLIMIT_NOFILE the server starts with; 0 (default): inherited from the test process.
  virtual int server_fd_limit() const { return 0; }

  // A connected client whose first frame, the rooms list starting with general, is checked.
  std::unique_ptr<ChatTestClient> connect(const HandshakeOptions& options = {});
  std::unique_ptr<ChatTestClient> connect_as(const std::string& name);
  // Logged in with version 2, past the members and history frames of general (the history is returned).
  std::unique_ptr<ChatTestClient> connect_v2(const std::string& name, chat::HistoryFrame* history = nullptr);

  // Every client given (logged in, all in `room`) says one line; each must receive every line,
  // in order, and nothing else. Proves a connection is open, logged in and in that room.
  void expect_served(const std::string& room, const std::vector<ChatTestClient*>& members);

  ServerProcess& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  // The same binary on the same data folder, once the running one has exited (a new port).
  void restart_server() { server_->restart(); }
  // SIGTERM; each client read up to its close (what comes first, presence, is skipped); a clean
  // exit checked; then restart_server().
  void restart_after_clean_stop(const std::vector<ChatTestClient*>& clients);

 private:
  std::unique_ptr<ServerProcess> server_;
};

// For tests that need thousands of lines or requests from one connection (history, durability):
// the per-connection rate limits are off, as they are not what these tests are about.
class UnlimitedChatServerTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--no-limits"}; }
};

// True when `raw` is the documented frame byte for byte, or that frame with extra fields appended
// (PROTOCOL.md: the seed's fields are a contract, additions come after them).
::testing::AssertionResult is_documented_frame(const std::string& raw, const std::string& documented);

// Tries to log in as `name` until it works or the deadline passes; false if it never did.
bool login_when_free(ChatTestClient& client, const std::string& name, Deadline deadline);

// Opens a WebSocket and expects the server to refuse the upgrade with this HTTP status.
::testing::AssertionResult refused_with_status(std::uint16_t port, const HandshakeOptions& options, int status);

// Reads and discards frames until none arrives for `quiet`.
void drain(ChatTestClient& client, milliseconds quiet);

// v2: every line of `room`, oldest first, by paging back with history{before_id} `limit` lines at a
// time. Fails unless each page is in order, below the page before it, and `more` is right.
std::vector<chat::ChatLine> read_whole_history(ChatTestClient& client, const std::string& room, int limit);

// v2: the next `count` lines of `room` the client receives, from history frames and live chat lines
// alike (a resume's catch-up then live lines); any other frame fails.
std::vector<chat::ChatLine> collect_lines(ChatTestClient& client, const std::string& room, std::size_t count);

// "id ts user: text" per line, so that EXPECT_EQ on two histories shows which line differs.
std::vector<std::string> describe_lines(const std::vector<chat::ChatLine>& lines);

// Fails unless the ids are consecutive from first_id (no gap, no duplicate).
::testing::AssertionResult ids_are_consecutive(const std::vector<chat::ChatLine>& lines, std::int64_t first_id);

// A thread that is joined when it goes out of scope, also when a failed expectation throws past it.
class JoinedThread {
 public:
  template <class Body>
  explicit JoinedThread(Body body) : thread_(std::move(body)) {}
  ~JoinedThread() { join(); }
  JoinedThread(const JoinedThread&) = delete;
  JoinedThread& operator=(const JoinedThread&) = delete;
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
};

// A text no other line of the test will carry.
std::string unique_text(const std::string& tag);

}  // namespace chat_it
