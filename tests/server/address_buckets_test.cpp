// AddressBuckets: a limit shared by every connection of one address (room creations, new resume
// tokens), in a map that forgets what no longer matters and cannot grow without bound.
#include "server/core/address_buckets.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;
constexpr std::int64_t kHourMs = 3'600'000;

AddressBuckets per_hour(double count, std::size_t max_addresses = 100'000) {
  return AddressBuckets(count, count / 3600, max_addresses);
}

TEST(AddressBuckets, AnAddressGetsItsBurstThenWaitsForTheRefill) {
  auto limiter = per_hour(60);
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(limiter.wait_ms("198.51.100.7", kStart), 0) << i;
    limiter.take("198.51.100.7", kStart);
  }
  EXPECT_NEAR(limiter.wait_ms("198.51.100.7", kStart), 60'000, 1);  // one token refills in an hour / 60
  EXPECT_GT(limiter.wait_ms("198.51.100.7", kStart + 59'000), 0);
  EXPECT_EQ(limiter.wait_ms("198.51.100.7", kStart + 60'010), 0);
  EXPECT_EQ(limiter.wait_ms("198.51.100.8", kStart), 0);  // another address is not affected
}

TEST(AddressBuckets, ZeroBurstMeansNoLimit) {
  AddressBuckets limiter(0, 0, 100);
  for (int i = 0; i < 1000; ++i) limiter.take("a", kStart);
  EXPECT_EQ(limiter.wait_ms("a", kStart), 0);
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(AddressBuckets, AnAddressIsForgottenOnceItsBucketWouldBeFull) {
  auto limiter = per_hour(60);
  limiter.take("a", kStart);
  limiter.take("b", kStart + 1000);
  EXPECT_EQ(limiter.tracked(), 2u);
  limiter.take("a", kStart + 2000);  // a's hour starts again
  EXPECT_EQ(limiter.wait_ms("c", kStart + kHourMs + 1000), 0);
  EXPECT_EQ(limiter.tracked(), 1u);  // b is gone, a is not yet
  EXPECT_EQ(limiter.wait_ms("c", kStart + kHourMs + 2000), 0);
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(AddressBuckets, MemoryIsCappedTheEntryNearestToFullGoes) {
  auto limiter = per_hour(1, 3);
  for (int i = 0; i < 5; ++i) limiter.take("a" + std::to_string(i), kStart + i);
  EXPECT_EQ(limiter.tracked(), 3u);
  EXPECT_EQ(limiter.wait_ms("a0", kStart + 10), 0);  // evicted: it starts over
  EXPECT_GT(limiter.wait_ms("a4", kStart + 10), 0);
}

}  // namespace
}  // namespace chat
