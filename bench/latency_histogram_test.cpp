// Unit tests of what the benchmark's own figures rest on: percentiles. The framing, the chat text
// and the sequence checks it shares with the soak are tested with their kits (tests/wskit,
// tests/loadkit).
#include <gtest/gtest.h>

#include "bench/latency_histogram.hpp"

namespace bench {
namespace {

TEST(LatencyHistogram, PercentilesWithinTwoPercent) {
  LatencyHistogram histogram;
  for (std::int64_t v = 1; v <= 100000; ++v) histogram.record(v * 1000);  // 1 us .. 100 ms
  EXPECT_EQ(histogram.count(), 100000u);
  EXPECT_EQ(histogram.max(), 100'000'000);
  EXPECT_NEAR(static_cast<double>(histogram.percentile(0.5)), 50e6, 50e6 * 0.02);
  EXPECT_NEAR(static_cast<double>(histogram.percentile(0.99)), 99e6, 99e6 * 0.02);
  EXPECT_EQ(histogram.percentile(1.0), 100'000'000);
}

}  // namespace
}  // namespace bench
