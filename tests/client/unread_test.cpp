// The pure parts of unread counts and typing: badge and title words, which read markers are worth
// sending, and who is typing until when (app/unread.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/unread.hpp"

namespace chat::client {
namespace {

using Names = std::vector<std::string>;

TEST(UnreadWords, TheBadgeShowsTheCountAndNinetyNinePlusAboveNinetyNine) {
  EXPECT_EQ(badge_text(0), "");
  EXPECT_EQ(badge_text(1), "1");
  EXPECT_EQ(badge_text(99), "99");
  EXPECT_EQ(badge_text(100), "99+");
  EXPECT_EQ(badge_text(123456), "99+");
}

TEST(UnreadWords, TheTitleCountsEverythingUnreadAndIsPlainAtZero) {
  EXPECT_EQ(tab_title(0, "Chat"), "Chat");
  EXPECT_EQ(tab_title(3, "Chat"), "(3) Chat");
  EXPECT_EQ(tab_title(1000, "Chat"), "(1000) Chat");
}

TEST(UnreadWords, TypingNamesOneOrTwoPeopleAndThenSaysSeveral) {
  EXPECT_EQ(typing_text({}), "");
  EXPECT_EQ(typing_text({"alice"}), "alice is typing\u2026");
  EXPECT_EQ(typing_text({"alice", "bob"}), "alice and bob are typing\u2026");
  EXPECT_EQ(typing_text({"alice", "bob", "carol"}), "several people are typing\u2026");
}

TEST(ReadMarksTest, OneInFlightPerLogAndNeverAnIdNotAboveTheLastSent) {
  ReadMarks marks;
  EXPECT_EQ(marks.to_send("general", 0), std::nullopt) << "nothing read in an empty log";
  EXPECT_EQ(marks.to_send("general", 5), 5);
  EXPECT_EQ(marks.to_send("general", 6), std::nullopt) << "one in flight";
  EXPECT_EQ(marks.to_send("jeux", 2), 2) << "each log has its own";
  marks.answered("general");
  EXPECT_EQ(marks.to_send("general", 5), std::nullopt) << "sent already";
  EXPECT_EQ(marks.to_send("general", 6), 6);
  marks.answered("general");
  marks.known_read("general", 10);
  EXPECT_EQ(marks.to_send("general", 9), std::nullopt) << "the server has it read further";
  EXPECT_EQ(marks.to_send("general", 11), 11);
  marks.connection_closed();
  EXPECT_EQ(marks.to_send("general", 12), 12) << "no answer comes on a dead connection";
}

TEST(TypingBoardTest, APersonTypesUntilFiveSecondsAfterTheLastFrameOrTheirLine) {
  TypingBoard board;
  board.heard("general", "bob", 10.0);
  board.heard("general", "carol", 11.0);
  board.heard("jeux", "dave", 11.0);
  EXPECT_EQ(board.typing_in("general"), (Names{"bob", "carol"}));
  EXPECT_FALSE(board.expire(14.9));
  board.heard("general", "bob", 14.0);  // still typing: shown 5 s from now
  EXPECT_TRUE(board.expire(16.0));      // carol's and dave's 5 s are over
  EXPECT_EQ(board.typing_in("general"), Names{"bob"});
  EXPECT_TRUE(board.typing_in("jeux").empty());
  board.line_from("general", "bob");
  EXPECT_TRUE(board.typing_in("general").empty());
}

TEST(TypingBoardTest, HoldsABoundedNumberOfTypers) {
  TypingBoard board;
  for (std::size_t i = 0; i < TypingBoard::kMaxTypers + 10; ++i) board.heard("general", "p" + std::to_string(i), 1.0);
  EXPECT_EQ(board.typing_in("general").size(), TypingBoard::kMaxTypers);
}

}  // namespace
}  // namespace chat::client
