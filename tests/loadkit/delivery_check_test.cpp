// Per-stream sequence checks: loss, duplicates, reordering.
#include <gtest/gtest.h>

#include "tests/loadkit/delivery_check.hpp"

namespace loadkit {
namespace {

TEST(StreamCheck, AWindowStartsAtTheFirstLineSeen) {
  DeliveryCounts counts;
  StreamCheck stream(40);
  EXPECT_TRUE(stream.receive(40, counts));
  EXPECT_TRUE(stream.receive(42, counts));  // 41 missing
  EXPECT_EQ(stream.gaps(), 1u);
  EXPECT_EQ(counts.received, 2u);
  EXPECT_EQ(counts.lost, 0u);  // not yet: it may still come
}

TEST(StreamCheck, CountsLossDuplicatesAndReordering) {
  DeliveryCounts counts;
  StreamCheck stream;
  EXPECT_TRUE(stream.receive(0, counts));
  EXPECT_TRUE(stream.receive(2, counts));   // 1 overtaken
  EXPECT_TRUE(stream.receive(1, counts));   // late: reordered
  EXPECT_FALSE(stream.receive(1, counts));  // again: duplicate
  EXPECT_TRUE(stream.receive(4, counts));   // 3 never comes
  stream.finish(7, counts);                 // 5 and 6 sent, never received
  EXPECT_EQ(counts.received, 4u);
  EXPECT_EQ(counts.reordered, 1u);
  EXPECT_EQ(counts.duplicated, 1u);
  EXPECT_EQ(counts.lost, 3u);
}

}  // namespace
}  // namespace loadkit
