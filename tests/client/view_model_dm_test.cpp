// ViewModel's direct conversations (docs/ACCOUNTS.md, "Step 3"): a conversation shown in place of
// the room's log (the connection stays in its room), its newest page asked for on opening and
// after a reconnect, older pages and lines sent with "dm", lines arriving while a room is shown
// listing the conversation without touching the room's log, and the refusals.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "view_model_private_fixture.hpp"

namespace chat::client {
namespace {

class ViewModelDmTest : public ViewModelPrivateTest {};

TEST_F(ViewModelDmTest, OpeningAConversationShowsItAndAsksForItsNewestLines) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.open_conversation("bob"));
  EXPECT_EQ(vm_.state().current_dm, "bob");
  EXPECT_EQ(vm_.state().current_room, "general") << "the connection stays where it is";
  EXPECT_EQ(vm_.state().dms, Names{"bob"});
  const auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  const auto* page = std::get_if<History>(&asked[0].frame);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->dm, "bob");
  EXPECT_EQ(page->room, "");
  EXPECT_EQ(page->before_id, 0);
  HistoryFrame answer{"", {ChatLine{7, 5, "bob", "yo"}, ChatLine{8, 6, "alice", "hey"}}, true, asked[0].request_id, "bob"};
  server_sends(answer);
  EXPECT_EQ(shown_ids(), (std::vector<std::int64_t>{7, 8}));
  EXPECT_TRUE(vm_.state().has_older);
  EXPECT_FALSE(vm_.state().loading_older);
}

// "Message" is offered for the accounts in the room, as `members` and `presence` say, never for
// a guest nor oneself, and only to a signed-in person.
TEST_F(ViewModelDmTest, OnlyAccountsInTheRoomCanBeMessaged) {
  signed_in_as("alice");
  server_sends(MembersFrame{"general", {"guest", "bob", "alice"}, {"bob", "alice"}});
  EXPECT_EQ(vm_.state().member_accounts, (Names{"alice", "bob"}));
  EXPECT_TRUE(can_message(vm_.state(), "bob"));
  EXPECT_FALSE(can_message(vm_.state(), "guest"));
  EXPECT_FALSE(can_message(vm_.state(), "alice")) << "oneself";
  server_sends(PresenceFrame{"general", "carol", true, true});
  server_sends(PresenceFrame{"general", "dan", true, false});
  EXPECT_TRUE(can_message(vm_.state(), "carol"));
  EXPECT_FALSE(can_message(vm_.state(), "dan"));
  server_sends(PresenceFrame{"general", "bob", false, true});
  EXPECT_FALSE(can_message(vm_.state(), "bob")) << "gone";
  EXPECT_EQ(vm_.state().member_accounts, (Names{"alice", "carol"}));
  ViewState guest_view = vm_.state();
  guest_view.signed_in = false;
  EXPECT_FALSE(can_message(guest_view, "carol")) << "a guest messages no one";
}

TEST_F(ViewModelDmTest, LinesTypedInAConversationAreSentWithDm) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.open_conversation("bob"));
  sent();
  ASSERT_TRUE(vm_.send_message("hi bob"));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* line = std::get_if<SendMessage>(&frames[0]);
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->message, "hi bob");
  EXPECT_EQ(line->dm, "bob");
  // Our own copy comes back naming the recipient.
  server_sends(dm_line("bob", 9, "alice"));
  ASSERT_EQ(vm_.visible_log().size(), 1u);
  EXPECT_EQ(vm_.visible_log()[0].text, "dm 9");
}

TEST_F(ViewModelDmTest, ADirectLineWhileInARoomListsTheConversationWithoutTouchingTheRoom) {
  signed_in_as("bob");
  server_sends(chat_v2("general", 3));
  server_sends(dm_line("alice", 10, "alice"));
  EXPECT_EQ(vm_.state().dms, Names{"alice"});
  EXPECT_EQ(shown_ids(), (std::vector<std::int64_t>{3})) << "the room's log is the room's";
  const auto arrivals = vm_.take_arrivals();
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_EQ(arrivals[1].dm, "alice");
  EXPECT_EQ(arrivals[1].room, "");
  ASSERT_TRUE(vm_.open_conversation("alice"));
  EXPECT_EQ(shown_ids(), (std::vector<std::int64_t>{10}));
  server_sends(chat_v2("general", 4));
  EXPECT_EQ(shown_ids(), (std::vector<std::int64_t>{10})) << "a room's line is not the conversation's";
}

TEST_F(ViewModelDmTest, ChoosingTheRoomAgainLeavesTheConversationWithoutAskingTheServer) {
  signed_in_as("alice");
  server_sends(chat_v2("general", 3));
  ASSERT_TRUE(vm_.open_conversation("bob"));
  sent();
  EXPECT_TRUE(shown_ids().empty());
  ASSERT_TRUE(vm_.join_room("general"));
  EXPECT_TRUE(sent().empty());
  EXPECT_TRUE(vm_.state().current_dm.empty());
  EXPECT_EQ(shown_ids(), (std::vector<std::int64_t>{3}));
}

TEST_F(ViewModelDmTest, JoiningAnotherRoomLeavesTheConversation) {
  signed_in_as("alice");
  server_sends_rooms({"general", "jeux"});
  ASSERT_TRUE(vm_.open_conversation("bob"));
  sent();
  ASSERT_TRUE(vm_.join_room("jeux"));
  EXPECT_EQ(vm_.state().current_dm, "bob") << "until the server says we are there";
  server_says_joined("jeux");
  EXPECT_TRUE(vm_.state().current_dm.empty());
  EXPECT_EQ(vm_.state().current_room, "jeux");
}

TEST_F(ViewModelDmTest, OlderLinesOfAConversationArePagedWithDm) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.open_conversation("bob"));
  const auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  server_sends(HistoryFrame{"", {ChatLine{40, 5, "bob", "yo"}}, true, asked[0].request_id, "bob"});
  ASSERT_TRUE(vm_.load_older());
  EXPECT_TRUE(vm_.state().loading_older);
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* page = std::get_if<History>(&frames[0]);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->dm, "bob");
  EXPECT_EQ(page->room, "");
  EXPECT_EQ(page->before_id, 40);
  server_answers(HistoryFrame{"", {ChatLine{39, 4, "alice", "a"}}, false, "", "bob"});
  EXPECT_EQ(shown_ids(), (std::vector<std::int64_t>{39, 40}));
  EXPECT_FALSE(vm_.state().has_older);
  EXPECT_FALSE(vm_.state().loading_older);
}

TEST_F(ViewModelDmTest, OneCannotOpenAConversationWithOneself) {
  signed_in_as("alice");
  EXPECT_FALSE(vm_.open_conversation("alice"));
  EXPECT_TRUE(vm_.state().current_dm.empty());
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelDmTest, ARefusedDirectLineIsShownAtTheInput) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.open_conversation("nobody"));
  sent();
  ASSERT_TRUE(vm_.send_message("hello?"));
  server_refuses(ErrorCode::no_such_account, "nobody");
  EXPECT_FALSE(vm_.state().input_error.empty());
}

TEST_F(ViewModelDmTest, AConversationShownIsReadAgainAfterAResume) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.open_conversation("bob"));
  sent();
  vm_.on_close(now_);
  now_ += 10;
  vm_.tick(now_);
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  sent();  // the resume
  MessageFrame resumed = notice(Event::resumed, "Welcome back", "alice", "general");
  resumed.version = kCurrentVersion;
  resumed.account = true;
  server_answers(resumed);
  bool asked = false;
  for (const auto& frame : sent()) {
    const auto* page = std::get_if<History>(&frame);
    asked |= page && page->dm == "bob";
  }
  EXPECT_TRUE(asked);
  EXPECT_EQ(vm_.state().current_dm, "bob");
}

}  // namespace
}  // namespace chat::client
