// The fixture every integration test uses: a fresh server per test (so tests run in parallel),
// clients that arrive already past the initial rooms frame, and the "still served" check.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "chat_test_client.hpp"
#include "server_process.hpp"

namespace chat_it {

class ChatServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Stops the server and fails the test unless it exits 0 (a crash anywhere in the test shows here).
  void TearDown() override;

  // A connected client whose first frame, the rooms list starting with general, is checked.
  std::unique_ptr<ChatTestClient> connect(const HandshakeOptions& options = {});
  std::unique_ptr<ChatTestClient> connect_as(const std::string& name);

  // Every client given (logged in, all in `room`) says one line; each must receive every line,
  // in order, and nothing else. Proves a connection is open, logged in and in that room.
  void expect_served(const std::string& room, const std::vector<ChatTestClient*>& members);

  ServerProcess& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }

 private:
  std::unique_ptr<ServerProcess> server_;
};

// True when `raw` is the documented frame byte for byte, or that frame with extra fields appended
// (PROTOCOL.md: the seed's fields are a contract, additions come after them).
::testing::AssertionResult is_documented_frame(const std::string& raw, const std::string& documented);

// Tries to log in as `name` until it works or the deadline passes; false if it never did.
bool login_when_free(ChatTestClient& client, const std::string& name, Deadline deadline);

// Reads and discards frames until none arrives for `quiet`.
void drain(ChatTestClient& client, milliseconds quiet);

// A text no other line of the test will carry.
std::string unique_text(const std::string& tag);

}  // namespace chat_it
