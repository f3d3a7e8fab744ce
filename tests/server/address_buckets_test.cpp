// AddressBuckets: a limit shared by every connection of one address, in a map that cannot grow
// without bound.
#include "server/core/address_buckets.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(AddressBuckets, EachAddressHasItsOwnBurst) {
  AddressBuckets buckets(2, 1, 100);
  EXPECT_EQ(buckets.take("10.0.0.1", 0), 0);
  EXPECT_EQ(buckets.take("10.0.0.1", 0), 0);
  EXPECT_EQ(buckets.take("10.0.0.1", 0), 1000);
  EXPECT_EQ(buckets.take("10.0.0.2", 0), 0);
  EXPECT_EQ(buckets.take("10.0.0.1", 1000), 0);
}

TEST(AddressBuckets, AFullMapForgetsRefilledBucketsToMakeRoom) {
  AddressBuckets buckets(1, 1, 2);
  EXPECT_EQ(buckets.take("a", 0), 0);
  EXPECT_EQ(buckets.take("b", 500), 0);
  // Full: "a" refills at 1000 ms, so a third address waits until then.
  EXPECT_EQ(buckets.take("c", 600), 400);
  EXPECT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets.take("c", 1000), 0);  // "a" was forgotten
  EXPECT_EQ(buckets.size(), 2u);
  // A forgotten address starts over with a full burst: it had refilled anyway.
  EXPECT_EQ(buckets.take("a", 1600), 0);
}

}  // namespace
}  // namespace chat
