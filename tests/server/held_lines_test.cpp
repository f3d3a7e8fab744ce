// HeldLines: after a history page, the live lines it holds are dropped, the rest follow it, and a
// hole, a new numbering or an overflow turns into a further read instead of a gap.
#include "server/core/held_lines.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

SharedText frame(std::int64_t id) { return share("line " + std::to_string(id)); }

std::vector<std::string> texts(const HeldLines::Release& release) {
  std::vector<std::string> out;
  for (const auto& sent : release.send) out.push_back(*sent);
  return out;
}

TEST(HeldLinesTest, LinesInThePageAreDroppedTheRestFollow) {
  HeldLines held;
  for (std::int64_t id = 9; id <= 12; ++id) held.hold("e", id, frame(id));
  const auto release = held.release("e", 10);
  EXPECT_EQ(texts(release), (std::vector<std::string>{"line 11", "line 12"}));
  EXPECT_FALSE(release.read_on);
  EXPECT_FALSE(release.restart);
  EXPECT_TRUE(held.empty());
}

TEST(HeldLinesTest, AHoleAfterThePageReadsOn) {
  HeldLines held;
  held.hold("e", 11, frame(11));
  held.hold("e", 14, frame(14));
  const auto release = held.release("e", 10);
  EXPECT_EQ(texts(release), (std::vector<std::string>{"line 11"}));
  EXPECT_TRUE(release.read_on);
  EXPECT_EQ(release.after_id, 11);
}

TEST(HeldLinesTest, AnotherNumberingStartsAgain) {
  HeldLines held;
  held.hold("new", 1, frame(1));
  const auto release = held.release("old", 10);
  EXPECT_TRUE(release.restart);
  EXPECT_TRUE(release.send.empty());
}

TEST(HeldLinesTest, AnUnknownPageEpochMatchesAny) {
  HeldLines held;
  held.hold("e", 1, frame(1));
  EXPECT_EQ(texts(held.release("", 0)), (std::vector<std::string>{"line 1"}));
}

TEST(HeldLinesTest, BeyondTheCapTheSessionReadsOn) {
  HeldLines held;
  for (std::int64_t id = 1; id <= static_cast<std::int64_t>(HeldLines::kMaxHeld) + 5; ++id) held.hold("e", id, frame(id));
  const auto release = held.release("e", 0);
  EXPECT_EQ(release.send.size(), HeldLines::kMaxHeld);
  EXPECT_TRUE(release.read_on);
  EXPECT_EQ(release.after_id, static_cast<std::int64_t>(HeldLines::kMaxHeld));
}

}  // namespace
}  // namespace chat
