// RateLimiter: lines spend lines and bytes, other requests the request bucket, and many refusals
// in a row mark a flood.
#include "server/core/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

RateLimits small_limits() {
  RateLimits rates;
  rates.line_burst = 2;
  rates.lines_per_second = 1;
  rates.byte_burst = 100;
  rates.bytes_per_second = 10;
  rates.request_burst = 1;
  rates.requests_per_second = 1;
  rates.flood_refusals = 3;
  return rates;
}

TEST(RateLimiterTest, LinesSpendTheLineAndByteBuckets) {
  const RateLimits rates = small_limits();
  RateLimiter limiter(rates);
  EXPECT_EQ(limiter.line(0, 10).wait_ms, 0);
  EXPECT_EQ(limiter.line(0, 10).wait_ms, 0);
  EXPECT_EQ(limiter.line(0, 10).wait_ms, 1000);  // a third line waits for the line bucket
  EXPECT_EQ(limiter.line(1000, 10).wait_ms, 0);
  EXPECT_EQ(limiter.line(2000, 95).wait_ms, 500);  // bytes: 90 in the bucket, 95 wanted, 10 a second
}

TEST(RateLimiterTest, OtherRequestsSpendOnlyTheRequestBucket) {
  const RateLimits rates = small_limits();
  RateLimiter limiter(rates);
  EXPECT_EQ(limiter.request(0).wait_ms, 0);
  EXPECT_EQ(limiter.request(0).wait_ms, 1000);
  EXPECT_EQ(limiter.line(0, 1).wait_ms, 0);  // lines are not held back by requests
}

TEST(RateLimiterTest, RefusalsInARowAreAFloodAndAnAcceptedRequestForgivesThem) {
  const RateLimits rates = small_limits();
  RateLimiter limiter(rates);
  limiter.request(0);
  EXPECT_FALSE(limiter.request(0).flooding);
  EXPECT_FALSE(limiter.request(0).flooding);
  EXPECT_EQ(limiter.request(2000).wait_ms, 0);  // accepted: the count starts again
  EXPECT_FALSE(limiter.request(2000).flooding);
  EXPECT_FALSE(limiter.request(2000).flooding);
  EXPECT_TRUE(limiter.request(2000).flooding);
}

TEST(RateLimiterTest, LineFitsSpendsNothing) {
  const RateLimits rates = small_limits();
  RateLimiter limiter(rates);
  EXPECT_TRUE(limiter.line_fits(0, 50));
  EXPECT_TRUE(limiter.line_fits(0, 50));
  EXPECT_EQ(limiter.line(0, 50).wait_ms, 0);
  EXPECT_EQ(limiter.line(0, 50).wait_ms, 0);
  EXPECT_FALSE(limiter.line_fits(0, 1));
}

TEST(RateLimiterTest, DisabledLimitsAllowEverything) {
  RateLimits rates = small_limits();
  rates.enabled = false;
  RateLimiter limiter(rates);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.request(0).wait_ms, 0);
  EXPECT_TRUE(limiter.line_fits(0, 1e9));
}

}  // namespace
}  // namespace chat
