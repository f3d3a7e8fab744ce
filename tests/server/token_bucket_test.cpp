// TokenBucket: bursts up to capacity, steady refill, exact waits.
#include "server/core/token_bucket.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(TokenBucket, AllowsABurstUpToCapacityThenRefuses) {
  TokenBucket bucket(3, 1);
  EXPECT_TRUE(bucket.take(0));
  EXPECT_TRUE(bucket.take(0));
  EXPECT_TRUE(bucket.take(0));
  EXPECT_FALSE(bucket.take(0));
  EXPECT_EQ(bucket.wait_ms(0), 1000);
}

TEST(TokenBucket, RefillsContinuouslyUpToCapacity) {
  TokenBucket bucket(2, 10);  // one token per 100 ms
  ASSERT_TRUE(bucket.take(0, 2));
  EXPECT_FALSE(bucket.take(50));
  EXPECT_EQ(bucket.wait_ms(50), 50);
  EXPECT_TRUE(bucket.take(100));
  EXPECT_TRUE(bucket.take(60'000, 2));   // a long pause refills to capacity, no more
  EXPECT_FALSE(bucket.take(60'000));
}

TEST(TokenBucket, CostsAboveCapacityNeverFit) {
  TokenBucket bucket(100, 10);
  EXPECT_FALSE(bucket.take(0, 101));
  EXPECT_EQ(bucket.wait_ms(0, 101), INT64_MAX);
  EXPECT_TRUE(bucket.take(0, 100));  // a refused request took nothing
}

TEST(TokenBucket, TimeGoingBackwardsTakesNothingExtra) {
  TokenBucket bucket(1, 1);
  ASSERT_TRUE(bucket.take(10'000));
  EXPECT_FALSE(bucket.take(5'000));
  EXPECT_TRUE(bucket.take(11'000));
}

}  // namespace
}  // namespace chat
