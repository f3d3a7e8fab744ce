// ViewModel's unread counts, read markers, mentions and typing (docs/ACCOUNTS.md, "Step 4"): the
// server's counts per room and conversation, the room looked at marked read once per id (only
// while the page is visible), lines arriving unseen counted, a line naming the account, and who
// is typing where, with the clock driven by the test.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "view_model_private_fixture.hpp"

namespace chat::client {
namespace {

class ViewModelUnreadTest : public ViewModelPrivateTest {
 protected:
  // alice, signed in, in general with its lines 1..3, the page visible or not.
  void alice_reading_general(bool visible) {
    signed_in_as("alice");
    vm_.set_page_visible(visible);
    server_sends_account_rooms({"general", "jeux"}, {}, {"bob"});
    server_sends(history("general", 1, 3, false));
  }
  // The mark_read requests sent since the last look, with their ids.
  std::vector<SentRequest> marks_sent() {
    std::vector<SentRequest> marks;
    for (auto& request : sent_requests()) {
      if (std::holds_alternative<MarkRead>(request.frame)) marks.push_back(request);
    }
    return marks;
  }
  static const MarkRead& mark(const SentRequest& request) { return std::get<MarkRead>(request.frame); }
  static MessageFrame mentioning(const std::string& room, std::int64_t id, const std::string& text, Names mentions) {
    return chat_line(room, ChatLine{id, 1'700'000'000'000 + id, "bob", text, std::move(mentions)}, true);
  }
};

TEST_F(ViewModelUnreadTest, TheServersCountsAreKeptPerRoomAndConversationAndAddUpInTheTitle) {
  alice_reading_general(true);
  server_sends(UnreadFrame{{UnreadCount{"jeux", "", 4, 7, false}, UnreadCount{"", "bob", 2, 150, true}}, ""});
  EXPECT_EQ(unread_of(vm_.state(), "jeux"), (Unread{7, false}));
  EXPECT_EQ(unread_of(vm_.state(), "", "bob"), (Unread{150, true}));
  EXPECT_EQ(badge_text(unread_of(vm_.state(), "", "bob").count), "99+");
  EXPECT_EQ(tab_title(total_unread(vm_.state()), "Chat"), "(157) Chat");
  // A later frame changes one entry; a count of 0 is nothing unread.
  server_sends(UnreadFrame{{UnreadCount{"jeux", "", 11, 0, false}}, ""});
  EXPECT_EQ(unread_of(vm_.state(), "jeux"), Unread{});
  EXPECT_EQ(tab_title(total_unread(vm_.state()), "Chat"), "(150) Chat");
}

TEST_F(ViewModelUnreadTest, TheRoomLookedAtIsMarkedReadOncePerIdAndOneRequestAtATime) {
  alice_reading_general(true);
  auto marks = marks_sent();
  ASSERT_EQ(marks.size(), 1u) << "its entry page read";
  EXPECT_EQ(mark(marks[0]).room, "general");
  EXPECT_EQ(mark(marks[0]).id, 3);
  // Line 4 comes while the first request is unanswered: it waits for the answer.
  server_sends(chat_v2("general", 4));
  EXPECT_TRUE(marks_sent().empty());
  server_sends(UnreadFrame{{UnreadCount{"general", "", 3, 1, false}}, marks[0].request_id});
  marks = marks_sent();
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(mark(marks[0]).id, 4);
  EXPECT_EQ(unread_of(vm_.state(), "general"), Unread{}) << "looked at: nothing unread there";
  server_sends(UnreadFrame{{UnreadCount{"general", "", 4, 0, false}}, marks[0].request_id});
  // The same lines again (a catch-up page, the page hidden and shown) send nothing more.
  server_sends(history("general", 2, 4, false));
  vm_.set_page_visible(false);
  vm_.set_page_visible(true);
  EXPECT_TRUE(marks_sent().empty());
}

TEST_F(ViewModelUnreadTest, NothingIsReadWhileThePageIsHiddenAndLinesArrivingThenAreCounted) {
  alice_reading_general(false);
  EXPECT_TRUE(marks_sent().empty());
  server_sends(chat_v2("general", 4, "bob"));
  server_sends(mentioning("general", 5, "@alice look", {"alice"}));
  server_sends(chat_v2("general", 6, "alice"));  // her own, from another device: read
  EXPECT_TRUE(marks_sent().empty());
  EXPECT_EQ(unread_of(vm_.state(), "general"), (Unread{2, true}));
  EXPECT_EQ(tab_title(total_unread(vm_.state()), "Chat"), "(2) Chat");
  // Seen again: the newest line is read, and the count goes.
  EXPECT_TRUE(vm_.set_page_visible(true));
  const auto marks = marks_sent();
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(mark(marks[0]).id, 6);
  EXPECT_EQ(total_unread(vm_.state()), 0);
}

TEST_F(ViewModelUnreadTest, AGuestSendsNoMarkReadButItsTitleCountsLinesWhileHidden) {
  connect_and_login("guest");
  sent();
  vm_.set_page_visible(false);
  server_sends(chat_from("ann", "general", "one"));
  server_sends(chat_from("guest", "general", "mine"));
  server_sends(chat_from("ann", "general", "two"));
  EXPECT_EQ(tab_title(total_unread(vm_.state()), "Chat"), "(2) Chat");
  vm_.set_page_visible(true);
  EXPECT_EQ(tab_title(total_unread(vm_.state()), "Chat"), "Chat");
  EXPECT_TRUE(sent().empty()) << "a guest has no markers";
}

TEST_F(ViewModelUnreadTest, OpeningARoomOrAConversationClearsItsCountAndMarksItsNewestLine) {
  alice_reading_general(true);
  marks_sent();
  server_sends(UnreadFrame{{UnreadCount{"jeux", "", 0, 2, true}, UnreadCount{"", "bob", 0, 1, false}}, ""});
  ASSERT_TRUE(vm_.join_room("jeux"));
  server_says_joined("jeux");
  EXPECT_TRUE(marks_sent().empty()) << "not before its entry page";
  server_sends(history("jeux", 1, 2, false));
  auto marks = marks_sent();
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(mark(marks[0]).room, "jeux");
  EXPECT_EQ(mark(marks[0]).id, 2);
  EXPECT_EQ(unread_of(vm_.state(), "jeux"), Unread{});

  ASSERT_TRUE(vm_.open_conversation("bob"));
  const auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  server_sends(HistoryFrame{"", {ChatLine{9, 5, "bob", "yo"}}, false, asked[0].request_id, "bob"});
  marks = marks_sent();
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(mark(marks[0]).dm, "bob");
  EXPECT_EQ(mark(marks[0]).room, "");
  EXPECT_EQ(mark(marks[0]).id, 9);
  EXPECT_EQ(total_unread(vm_.state()), 0);
}

TEST_F(ViewModelUnreadTest, ACountForTheLogLookedAtIsNotShown) {
  alice_reading_general(true);
  server_sends(UnreadFrame{{UnreadCount{"general", "", 1, 2, true}}, ""});
  EXPECT_EQ(unread_of(vm_.state(), "general"), Unread{});
}

TEST_F(ViewModelUnreadTest, SigningOutForgetsTheAccountsCounts) {
  alice_reading_general(true);
  server_sends(UnreadFrame{{UnreadCount{"jeux", "", 0, 2, false}}, ""});
  ASSERT_TRUE(vm_.sign_out());
  EXPECT_EQ(total_unread(vm_.state()), 0);
}

TEST_F(ViewModelUnreadTest, ALineNamingTheAccountIsMarkedAsMentioningIt) {
  alice_reading_general(true);
  server_sends(mentioning("general", 4, "@alice and @carol, look", {"alice", "carol"}));
  server_sends(mentioning("general", 5, "@carol only", {"carol"}));
  const auto& log = vm_.visible_log();
  ASSERT_GE(log.size(), 2u);
  EXPECT_TRUE(names_me(log[log.size() - 2], "alice"));
  EXPECT_FALSE(names_me(log.back(), "alice"));
  EXPECT_TRUE(names_me(log.back(), "carol"));
  EXPECT_FALSE(names_me(log.back(), "")) << "nobody is no one's name";
}

TEST_F(ViewModelUnreadTest, HistoryLinesCarryTheirMentionsToo) {
  signed_in_as("alice");
  HistoryFrame page{"general", {ChatLine{1, 5, "bob", "@alice", {"alice"}}, ChatLine{2, 6, "bob", "hi", {}}}, false, "", ""};
  server_sends(page);
  const auto& log = vm_.visible_log();
  ASSERT_EQ(shown_ids(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_TRUE(names_me(log[log.size() - 2], "alice"));
  EXPECT_FALSE(names_me(log.back(), "alice"));
}

TEST_F(ViewModelUnreadTest, TypingIsShownForTheLogLookedAtUntilFiveSecondsOrTheLine) {
  alice_reading_general(true);
  server_sends(TypingFrame{"general", "", "bob"});
  EXPECT_EQ(vm_.state().typing, "bob is typing\u2026");
  now_ += 1;
  server_sends(TypingFrame{"general", "", "carol"});
  EXPECT_EQ(vm_.state().typing, "bob and carol are typing\u2026");
  server_sends(TypingFrame{"general", "", "dave"});
  EXPECT_EQ(vm_.state().typing, "several people are typing\u2026");
  server_sends(TypingFrame{"jeux", "", "erin"});    // another room: not shown here
  server_sends(TypingFrame{"general", "", "alice"});  // her own other device: not news
  // dave's line comes: he is done.
  server_sends(chat_v2("general", 4, "dave"));
  EXPECT_EQ(vm_.state().typing, "bob and carol are typing\u2026");
  vm_.tick(now_ + 3.9);  // 4.9 s after bob's
  EXPECT_EQ(vm_.state().typing, "bob and carol are typing\u2026");
  vm_.tick(now_ + 4.0);  // bob's 5 s are over
  EXPECT_EQ(vm_.state().typing, "carol is typing\u2026");
  vm_.tick(now_ + 5.0);
  EXPECT_EQ(vm_.state().typing, "");
}

TEST_F(ViewModelUnreadTest, TypingInAConversationIsShownThere) {
  alice_reading_general(true);
  server_sends(TypingFrame{"", "bob", "bob"});
  EXPECT_EQ(vm_.state().typing, "") << "a room is shown";
  ASSERT_TRUE(vm_.open_conversation("bob"));
  EXPECT_EQ(vm_.state().typing, "bob is typing\u2026");
}

TEST_F(ViewModelUnreadTest, TypingIsSentAtMostOnceEveryThreeSecondsAndAHalf) {
  alice_reading_general(true);
  sent();
  EXPECT_TRUE(vm_.typing(200.0));
  auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<Typing>(frames[0]));
  EXPECT_EQ(std::get<Typing>(frames[0]).room, "general");
  EXPECT_EQ(std::get<Typing>(frames[0]).dm, "");
  EXPECT_FALSE(vm_.typing(201.0));
  EXPECT_FALSE(vm_.typing(203.4));
  vm_.tick(203.4);
  EXPECT_TRUE(sent().empty());
  // The keys typed meanwhile are told once the interval is over, without another key.
  vm_.tick(203.5);
  frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<Typing>(frames[0]).room, "general");
  vm_.tick(210.0);
  EXPECT_TRUE(sent().empty()) << "owed once";
}

TEST_F(ViewModelUnreadTest, TypingOwedIsDroppedWhenTheLineIsSentOrAnotherLogShown) {
  alice_reading_general(true);
  ASSERT_TRUE(vm_.typing(200.0));
  EXPECT_FALSE(vm_.typing(201.0));
  ASSERT_TRUE(vm_.send_message("done"));
  sent();
  vm_.tick(204.0);
  EXPECT_TRUE(sent().empty()) << "the line was sent: nobody types";
  EXPECT_FALSE(vm_.typing(202.0));
  ASSERT_TRUE(vm_.open_conversation("bob"));
  sent();
  vm_.tick(208.0);
  EXPECT_TRUE(sent().empty()) << "typed in general, now in the conversation";
}

TEST_F(ViewModelUnreadTest, TypingInAConversationIsSentWithDmAndItsRefusalBothersNobody) {
  alice_reading_general(true);
  ASSERT_TRUE(vm_.open_conversation("bob"));
  sent();
  EXPECT_TRUE(vm_.typing(203.0));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<Typing>(frames[0]).dm, "bob");
  EXPECT_EQ(std::get<Typing>(frames[0]).room, "");
  // A refusal of it (the room left meanwhile) bothers nobody.
  server_refuses(ErrorCode::not_allowed, "not in that room");
  EXPECT_TRUE(vm_.state().input_error.empty());
  EXPECT_TRUE(vm_.visible_log().empty() || vm_.visible_log().back().kind != LogLine::Kind::error);
}

}  // namespace
}  // namespace chat::client
