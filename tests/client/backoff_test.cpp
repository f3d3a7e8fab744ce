// Backoff: doubles from the initial delay, never above the cap.
#include "app/backoff.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

TEST(Backoff, DoublesFromTheInitialDelay) {
  const Backoff backoff{0.5, 2.0, 8.0};
  EXPECT_DOUBLE_EQ(backoff.delay(0), 0.5);
  EXPECT_DOUBLE_EQ(backoff.delay(1), 1.0);
  EXPECT_DOUBLE_EQ(backoff.delay(2), 2.0);
  EXPECT_DOUBLE_EQ(backoff.delay(3), 4.0);
}

TEST(Backoff, IsCapped) {
  const Backoff backoff{0.5, 2.0, 8.0};
  EXPECT_DOUBLE_EQ(backoff.delay(4), 8.0);
  EXPECT_DOUBLE_EQ(backoff.delay(5), 8.0);
  EXPECT_DOUBLE_EQ(backoff.delay(1'000'000), 8.0);
}

}  // namespace
}  // namespace chat::client
