// TokenIssueLimiter: new resume tokens per client address per hour, and the memory it keeps.
#include "server/core/token_issue_limiter.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;

TEST(TokenIssueLimiter, AnAddressGetsPerHourTokensThenWaitsForTheNext) {
  TokenIssueLimiter limiter(60);
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(limiter.wait_ms("198.51.100.7", kStart), 0) << i;
    limiter.record("198.51.100.7", kStart);
  }
  EXPECT_NEAR(limiter.wait_ms("198.51.100.7", kStart), 60'000, 1);  // one token refills in an hour / 60
  EXPECT_GT(limiter.wait_ms("198.51.100.7", kStart + 59'000), 0);
  EXPECT_EQ(limiter.wait_ms("198.51.100.7", kStart + 60'010), 0);
  EXPECT_EQ(limiter.wait_ms("198.51.100.8", kStart), 0);  // another address is not affected
}

TEST(TokenIssueLimiter, ZeroMeansNoCap) {
  TokenIssueLimiter limiter(0);
  for (int i = 0; i < 1000; ++i) limiter.record("a", kStart);
  EXPECT_EQ(limiter.wait_ms("a", kStart), 0);
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(TokenIssueLimiter, AnAddressIsForgottenAnHourAfterItsLastToken) {
  TokenIssueLimiter limiter(60);
  limiter.record("a", kStart);
  limiter.record("b", kStart + 1000);
  EXPECT_EQ(limiter.tracked(), 2u);
  limiter.record("a", kStart + 2000);  // a's hour starts again
  EXPECT_EQ(limiter.wait_ms("c", kStart + TokenIssueLimiter::kWindowMs + 1000), 0);
  EXPECT_EQ(limiter.tracked(), 1u);  // b is gone, a is not yet
  EXPECT_EQ(limiter.wait_ms("c", kStart + TokenIssueLimiter::kWindowMs + 2000), 0);
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(TokenIssueLimiter, MemoryIsCappedTheEntryNearestToFullGoes) {
  TokenIssueLimiter limiter(1, 3);
  for (int i = 0; i < 5; ++i) limiter.record("a" + std::to_string(i), kStart + i);
  EXPECT_EQ(limiter.tracked(), 3u);
  EXPECT_EQ(limiter.wait_ms("a0", kStart + 10), 0);  // evicted: it starts over
  EXPECT_GT(limiter.wait_ms("a4", kStart + 10), 0);
}

}  // namespace
}  // namespace chat
