// The core's per-connection rate limits: bursts that people and scripts produce go through, a
// flood gets rate_limited refusals with the time to wait, and a client that ignores them is closed.
#include <gtest/gtest.h>

#include "fakes/fake_clock.hpp"
#include "fakes/fake_transport.hpp"
#include "fakes/memory_store.hpp"
#include "server/core/chat_service.hpp"
#include "shared/codec.hpp"

namespace chat {
namespace {

class RateLimitTest : public testing::Test {
 protected:
  void start(RateLimits rates = RateLimits{}) {
    ServiceOptions options;
    options.rates = rates;
    service_ = std::make_unique<ChatService>(Ports{transport_, store_, clock_, random_}, options);
  }
  SessionId login(const std::string& name) {
    const SessionId id = next_id_++;
    service_->connect(id);
    send(id, Login{name});
    transport_.take(id);
    return id;
  }
  void send(SessionId id, const ClientFrame& frame) {
    service_->receive_text(id, encode(frame));
    store_.run_completions();
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

  FakeTransport transport_;
  MemoryStore store_;
  FakeClock clock_;
  CountingRandom random_;
  std::unique_ptr<ChatService> service_;
  SessionId next_id_ = 1;
};

TEST_F(RateLimitTest, APastedBlockOfThreeHundredLinesGoesThrough) {
  start();
  const SessionId alice = login("alice");
  EXPECT_EQ(burst(alice, 300), 0);
  EXPECT_EQ(store_.lines("general").size(), 300u);
}

TEST_F(RateLimitTest, AFloodIsRefusedWithTheTimeToWaitAndResumesAfterIt) {
  start();
  const SessionId alice = login("alice");
  EXPECT_EQ(burst(alice, 310), 10);
  send(alice, SendMessage{"too soon"});
  const auto refused = std::get<MessageFrame>(transport_.take(alice).at(0));
  ASSERT_EQ(refused.error, ErrorCode::rate_limited);
  clock_.now += refused.retry_after_ms;
  EXPECT_EQ(burst(alice, 1), 0);
}

TEST_F(RateLimitTest, BytesAreLimitedToo) {
  start();
  const SessionId alice = login("alice");
  EXPECT_EQ(burst(alice, 64, 4096), 0);  // 256 KiB at once
  EXPECT_EQ(burst(alice, 1, 4096), 1);
}

TEST_F(RateLimitTest, OtherRequestsHaveTheirOwnBucket) {
  start();
  const SessionId alice = login("alice");  // one request spent
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
  start(rates);
  const SessionId alice = login("alice");
  const SessionId bob = login("bob");
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
  start(rates);
  const SessionId alice = login("alice");
  EXPECT_EQ(burst(alice, 2000), 0);
}

}  // namespace
}  // namespace chat
