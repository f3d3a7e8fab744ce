// The operator's tunables reach the running server: a line burst set on the command line is the
// one the server enforces (the flags' parsing: tests/server/config_ops_test.cpp).
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

}  // namespace
}  // namespace chat_it
