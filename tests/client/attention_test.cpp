// Desktop notifications: which lines deserve one (someone else's, the tab hidden, or a mention
// while the page is not focused) and how they are worded.
#include "app/attention.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat::client {
namespace {

LogLine chat(const std::string& user, const std::string& text) {
  return LogLine{LogLine::Kind::chat, user, text, 1, 0};
}

constexpr PageAttention kLooking{false, true};
constexpr PageAttention kHidden{true, false};
constexpr PageAttention kVisibleUnfocused{false, false};

TEST(NoticeSwitch, SaysWhatItDoes) {
  EXPECT_STREQ(label(NoticeSwitch::off), "Notify me");
  EXPECT_STREQ(label(NoticeSwitch::on), "Notifying");
  EXPECT_STREQ(label(NoticeSwitch::blocked), "Notices blocked");
}

TEST(Mentions, AtNameAloneIgnoringAsciiCase) {
  EXPECT_TRUE(mentions("@ana look", "ana"));
  EXPECT_TRUE(mentions("hi @Ana, look", "ana"));
  EXPECT_TRUE(mentions("thanks @ana.", "ana"));
  EXPECT_TRUE(mentions("@bob @ana", "ana"));
  EXPECT_FALSE(mentions("@anabel here", "ana"));
  EXPECT_FALSE(mentions("@ana_b here", "ana"));
  EXPECT_FALSE(mentions("@ana.b here", "ana"));
  EXPECT_FALSE(mentions("ana without at", "ana"));
  EXPECT_FALSE(mentions("@an", "ana"));
  EXPECT_FALSE(mentions("@ana", ""));
}

TEST(NoticeFor, ALineWhileTheTabIsHidden) {
  const auto notice = notice_for(chat("robot", "ping"), "general", "ana", kHidden);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->title, "robot in general");
  EXPECT_EQ(notice->body, "ping");
  EXPECT_EQ(notice->tag, "chat:general");
}

TEST(NoticeFor, NothingWhileThePersonIsLooking) {
  EXPECT_FALSE(notice_for(chat("robot", "ping"), "general", "ana", kLooking));
  EXPECT_FALSE(notice_for(chat("robot", "@ana ping"), "general", "ana", kLooking));
  EXPECT_FALSE(notice_for(chat("robot", "ping"), "general", "ana", kVisibleUnfocused));
}

TEST(NoticeFor, AMentionWhileThePageIsNotFocused) {
  const auto notice = notice_for(chat("robot", "@ana ping"), "jeux", "ana", kVisibleUnfocused);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->title, "robot mentioned you in jeux");
}

TEST(NoticeFor, NeverOnesOwnLinesOrNotices) {
  EXPECT_FALSE(notice_for(chat("ana", "@ana note to self"), "general", "ana", kHidden));
  EXPECT_FALSE(notice_for(LogLine{LogLine::Kind::notice, "", "You joined jeux", 0, 0}, "jeux", "ana", kHidden));
}

TEST(NoticeFor, ALongLineIsCutWithoutBreakingACharacter) {
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "\xC3\xA9";  // 300 bytes of é
  const auto notice = notice_for(chat("robot", accents), "general", "ana", kHidden);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->body.size(), kMaxNoticeBodyBytes);
  EXPECT_EQ(notice->body.substr(0, 2), "\xC3\xA9");
}

}  // namespace
}  // namespace chat::client
