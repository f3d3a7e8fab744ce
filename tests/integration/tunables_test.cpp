// The operator's tunables reach the running server: a line burst set on the command line is the
// one the server enforces; a commit window holds each line that long before anyone sees it (the
// flags' parsing: tests/server/config_ops_test.cpp; the window's rules: commit_deferral_test.cpp).
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

class TunablesTest : public ChatServerTest {
 protected:
  // Three lines at once, then (practically) none: the fourth is refused whatever the timing.
  std::vector<std::string> server_flags() const override {
    return {"--line-burst", "3", "--lines-per-second", "0.001"};
  }
};

TEST_F(TunablesTest, TheLineBurstGivenIsTheOneEnforced) {
  auto alice = connect_as("alice");
  for (int i = 0; i < 3; ++i) {
    const std::string text = unique_text("within the burst");
    alice->send(chat::SendMessage{text});
    alice->expect_chat("alice", "general", text);
  }
  alice->send(chat::SendMessage{unique_text("one too many")});
  alice->expect_refusal(chat::ErrorCode::rate_limited);
}

class CommitWindowTest : public ChatServerTest {
 protected:
  static constexpr milliseconds kWindow{100};
  std::vector<std::string> server_flags() const override { return {"--commit-window", std::to_string(kWindow.count())}; }
};

// A lower bound only, so a busy machine can make it slower but never fail it: the window counts
// from when the server read the line, which is after the send. Without the flag the echo comes
// back in a fraction of that.
TEST_F(CommitWindowTest, ALineIsSeenNoSoonerThanTheWindowAfterItWasSent) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  for (int i = 0; i < 2; ++i) {  // the second: a window starts again after each commit
    const std::string text = unique_text("held for the window");
    const auto sent = Clock::now();
    alice->send(chat::SendMessage{text});
    alice->expect_chat("alice", "general", text);
    bob->expect_chat("alice", "general", text);
    // The server counts whole milliseconds: a window of 100 may end 99.x ms after the read.
    EXPECT_GE(Clock::now() - sent, kWindow - milliseconds(1)) << "line " << i;
  }
}

}  // namespace
}  // namespace chat_it
