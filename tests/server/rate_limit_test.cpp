// The core's per-connection rate limits: bursts that people and scripts produce go through, a
// flood gets rate_limited refusals with the time to wait, and a client that ignores them is closed.
#include "fakes/core_test.hpp"

namespace chat {
namespace {

class RateLimitTest : public CoreTest {
 protected:
  void start_with(const RateLimits& rates) {
    ServiceOptions options;
    options.rates = rates;
    start(options);
  }
  // Sends `count` lines at once; returns how many were refused as rate_limited.
  int burst(SessionId id, int count, std::size_t bytes = 10) {
    for (int i = 0; i < count; ++i) send(id, SendMessage{std::string(bytes, 'x')});
    int refused = 0;
    for (const auto& frame : transport_.take(id)) {
      const auto* message = std::get_if<MessageFrame>(&frame);
      if (message && message->error == ErrorCode::rate_limited) {
        ++refused;
        EXPECT_GT(message->retry_after_ms, 0);
      }
    }
    return refused;
  }
};

TEST_F(RateLimitTest, APastedBlockOfThreeHundredLinesGoesThrough) {
  const SessionId alice = logged_in("alice");
  EXPECT_EQ(burst(alice, 300), 0);
  EXPECT_EQ(store_.lines("general").size(), 300u);
}

TEST_F(RateLimitTest, AFloodIsRefusedWithTheTimeToWaitAndResumesAfterIt) {
  const SessionId alice = logged_in("alice");
  EXPECT_EQ(burst(alice, 310), 10);
  send(alice, SendMessage{"too soon"});
  const auto refused = std::get<MessageFrame>(transport_.take(alice).at(0));
  ASSERT_EQ(refused.error, ErrorCode::rate_limited);
  clock_.now += refused.retry_after_ms;
  EXPECT_EQ(burst(alice, 1), 0);
}

TEST_F(RateLimitTest, BytesAreLimitedToo) {
  const SessionId alice = logged_in("alice");
  EXPECT_EQ(burst(alice, 64, 4096), 0);  // 256 KiB at once
  EXPECT_EQ(burst(alice, 1, 4096), 1);
}

TEST_F(RateLimitTest, OtherRequestsHaveTheirOwnBucket) {
  const SessionId alice = logged_in("alice");  // one request spent
  for (int i = 0; i < 29; ++i) send(alice, JoinRoom{"general"});
  transport_.take(alice);
  send(alice, JoinRoom{"general"});
  EXPECT_EQ(std::get<MessageFrame>(transport_.take(alice).at(0)).error, ErrorCode::rate_limited);
  EXPECT_EQ(burst(alice, 1), 0);  // chat lines are not affected
  service_->receive_text(alice, "garbage");  // unreadable frames spend the request bucket
  store_.run_completions();
  EXPECT_EQ(std::get<MessageFrame>(transport_.take(alice).at(0)).error, ErrorCode::rate_limited);
}

TEST_F(RateLimitTest, AClientThatIgnoresRefusalsIsClosed) {
  RateLimits rates;
  rates.flood_refusals = 20;
  start_with(rates);
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  burst(alice, 300 + 19);
  EXPECT_EQ(transport_.closed.count(alice), 0u);
  send(alice, SendMessage{"one too many"});
  EXPECT_EQ(transport_.closed.at(alice), 1008);
  EXPECT_EQ(service_->session_count(), 1u);
  EXPECT_EQ(transport_.take(bob).size(), 300u);  // bob got every accepted line, nothing else
}

TEST_F(RateLimitTest, DisabledLimitsLetEverythingThrough) {
  RateLimits rates;
  rates.enabled = false;
  start_with(rates);
  const SessionId alice = logged_in("alice");
  EXPECT_EQ(burst(alice, 2000), 0);
}

}  // namespace
}  // namespace chat
