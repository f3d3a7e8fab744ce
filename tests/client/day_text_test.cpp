// Day separators and full dates, in UTC for the test (the page uses the browser's zone).
#include "app/day_text.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace chat::client {
namespace {

class DayTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  static constexpr std::int64_t kNoon = 1'796'212'800'000;  // Wednesday 2 December 2026, 12:00 UTC
  static constexpr std::int64_t kDay = 86'400'000;
};

TEST_F(DayTextTest, TodayYesterdayThenTheDate) {
  EXPECT_EQ(day_text(kNoon - 3'600'000, kNoon), "Today");
  EXPECT_EQ(day_text(kNoon - kDay, kNoon), "Yesterday");
  EXPECT_EQ(day_text(kNoon - 2 * kDay, kNoon), "Monday 30 November 2026");
  EXPECT_EQ(day_text(0, kNoon), "");
}

TEST_F(DayTextTest, LinesAroundMidnightAreOnTwoDays) {
  const std::int64_t midnight = kNoon + 12 * 3'600'000;
  EXPECT_EQ(local_day(midnight - 1000) + 1, local_day(midnight + 1000));
}

TEST_F(DayTextTest, FullTimeForTheTooltip) {
  EXPECT_EQ(full_time_text(kNoon + 61'000), "Wednesday 2 December 2026, 12:01:01");
}

}  // namespace
}  // namespace chat::client
