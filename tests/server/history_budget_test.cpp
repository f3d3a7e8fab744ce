// The history byte budget: whole pages when they fit, else the lines nearest the anchor, never none.
#include "server/core/history_budget.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

std::vector<ChatLine> lines_of(std::size_t count, std::size_t text_bytes) {
  std::vector<ChatLine> lines;
  for (std::size_t i = 1; i <= count; ++i) lines.push_back(ChatLine{static_cast<std::int64_t>(i), 0, "u", std::string(text_bytes, 'x')});
  return lines;
}

TEST(HistoryBudgetTest, APageThatFitsIsKeptWhole) {
  auto lines = lines_of(50, 100);
  EXPECT_FALSE(fit_history_budget(lines, true));
  EXPECT_EQ(lines.size(), 50u);
}

TEST(HistoryBudgetTest, PagingBackKeepsTheNewestCatchingUpTheOldest) {
  auto back = lines_of(200, 4096);
  ASSERT_TRUE(fit_history_budget(back, true));
  EXPECT_LT(back.size(), 200u);
  EXPECT_EQ(back.back().id, 200);
  auto forward = lines_of(200, 4096);
  ASSERT_TRUE(fit_history_budget(forward, false));
  EXPECT_EQ(forward.front().id, 1);
  EXPECT_EQ(forward.size(), back.size());
  std::size_t text = 0;
  for (const auto& line : forward) text += line.text.size();
  EXPECT_LE(text, kHistoryTextBudget);
}

TEST(HistoryBudgetTest, OneLineLargerThanTheBudgetIsStillSent) {
  auto lines = lines_of(3, kHistoryTextBudget + 1);
  ASSERT_TRUE(fit_history_budget(lines, true));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].id, 3);
}

}  // namespace
}  // namespace chat
