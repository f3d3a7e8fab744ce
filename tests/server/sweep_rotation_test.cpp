// SweepRotation: the liveness sweep sees every connection once per ten ticks, a tenth at a time,
// round the table whatever its size does, and pings at most kMaxPingsPerSlice per tick.
#include "server/lws/sweep_rotation.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace chat {
namespace {

std::vector<std::size_t> positions(const SweepRotation::Slice& slice) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < slice.length(); ++i) out.push_back(slice.at(i));
  return out;
}

TEST(SweepRotation, ATickTakesATenthRoundedUpFromWhereTheLastStopped) {
  SweepRotation rotation;
  EXPECT_EQ(positions(rotation.next(25)), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(positions(rotation.next(25)), (std::vector<std::size_t>{3, 4, 5}));
}

TEST(SweepRotation, EveryConnectionIsSeenOncePerTenTicks) {
  SweepRotation rotation;
  std::vector<int> seen(100, 0);
  for (std::size_t tick = 0; tick < SweepRotation::kSlices; ++tick) {
    for (const std::size_t position : positions(rotation.next(seen.size()))) ++seen[position];
  }
  EXPECT_EQ(seen, std::vector<int>(100, 1));
}

TEST(SweepRotation, WrapsRoundTheTable) {
  SweepRotation rotation;
  for (int tick = 0; tick < 8; ++tick) rotation.next(25);  // positions 0 to 23 seen
  EXPECT_EQ(positions(rotation.next(25)), (std::vector<std::size_t>{24, 0, 1}));
  EXPECT_EQ(positions(rotation.next(25)), (std::vector<std::size_t>{2, 3, 4}));
}

TEST(SweepRotation, StartsAgainWhenTheTableShrankBelowTheCursor) {
  SweepRotation rotation;
  for (int tick = 0; tick < 3; ++tick) rotation.next(100);  // the cursor is at 30
  EXPECT_EQ(positions(rotation.next(12)), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(positions(rotation.next(12)), (std::vector<std::size_t>{2, 3}));
}

TEST(SweepRotation, AnEmptyTableGivesAnEmptySliceAndKeepsTheCursor) {
  SweepRotation rotation;
  rotation.next(25);
  EXPECT_EQ(rotation.next(0).length(), 0u);
  EXPECT_EQ(positions(rotation.next(25)), (std::vector<std::size_t>{3, 4, 5}));
}

TEST(SweepRotation, ASlicePingsAtMostItsBudget) {
  SweepRotation rotation;
  auto slice = rotation.next(10000);
  for (int i = 0; i < SweepRotation::kMaxPingsPerSlice; ++i) EXPECT_TRUE(slice.take_ping()) << i;
  EXPECT_FALSE(slice.take_ping());
  EXPECT_TRUE(rotation.next(10000).take_ping());  // the next tick has its own budget
}

}  // namespace
}  // namespace chat
