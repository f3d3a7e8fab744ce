// Backoff: doubles from the initial delay, never above the cap, spread at random below it.
#include "app/backoff.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

TEST(Backoff, DoublesFromTheInitialDelay) {
  const Backoff backoff{0.5, 2.0, 8.0, 0.5};
  EXPECT_DOUBLE_EQ(backoff.delay(0, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(backoff.delay(1, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(backoff.delay(2, 0.0), 2.0);
  EXPECT_DOUBLE_EQ(backoff.delay(3, 0.0), 4.0);
}

TEST(Backoff, IsCapped) {
  const Backoff backoff{0.5, 2.0, 8.0, 0.5};
  EXPECT_DOUBLE_EQ(backoff.delay(4, 0.0), 8.0);
  EXPECT_DOUBLE_EQ(backoff.delay(5, 0.0), 8.0);
  EXPECT_DOUBLE_EQ(backoff.delay(1'000'000, 0.0), 8.0);
}

TEST(Backoff, IsSpreadOverTheUpperHalfByTheRandomUnit) {
  const Backoff backoff{0.5, 2.0, 8.0, 0.5};
  EXPECT_DOUBLE_EQ(backoff.delay(2, 0.5), 1.5);    // 2 s, a quarter off
  EXPECT_NEAR(backoff.delay(4, 0.999), 4.004, 1e-9);  // at the cap, nearly half off
  EXPECT_DOUBLE_EQ(backoff.delay(4, 7.0), 4.0);    // a unit out of range is clamped
  EXPECT_DOUBLE_EQ(backoff.delay(4, -1.0), 8.0);
}

}  // namespace
}  // namespace chat::client
