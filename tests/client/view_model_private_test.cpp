// ViewModel's private rooms and direct conversations (docs/ACCOUNTS.md, "Step 3"): the account's
// rooms list, creating a private room, the owner's member list, invite and remove, leaving, the
// room appearing and going on member_added/removed naming us, and conversations shown in place of
// the room's log: their lines, pages and sending with "dm", apart from every room's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "view_model_fixture.hpp"

namespace chat::client {
namespace {

using Names = std::vector<std::string>;

class ViewModelPrivateTest : public ViewModelTest {
 protected:
  void signed_in_as(const std::string& name) {
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
    server_sends_rooms({"general"});
    ASSERT_TRUE(vm_.sign_in(name, "correct horse battery"));
    sent();
    MessageFrame ack = notice(Event::logged_in, "Welcome, " + name + "!", name, "");
    ack.token = "465c1a131b47671a.5599041afcbeb08976355cb5e44feb7a";
    ack.version = kCurrentVersion;
    ack.account = true;
    server_answers(ack);
    ASSERT_TRUE(vm_.state().signed_in);
    sent();
  }
  void server_sends_account_rooms(Names rooms, Names private_rooms, Names dms) {
    server_sends(RoomsFrame{std::move(rooms), std::move(private_rooms), std::move(dms)});
  }
  // alice, owner of "secret", in it, its members known.
  void alice_in_her_room(Names members = {"alice", "bob"}) {
    signed_in_as("alice");
    server_sends_account_rooms({"general", "secret"}, {"secret"}, {});
    ASSERT_TRUE(vm_.join_room("secret"));
    sent();
    server_says_joined("secret");
    const auto asked = sent_requests();
    ASSERT_EQ(asked.size(), 1u);
    const auto* list = std::get_if<ListRoomMembers>(&asked[0].frame);
    ASSERT_NE(list, nullptr) << "entering a private room asks for its members";
    EXPECT_EQ(list->room, "secret");
    server_sends(RoomMembersFrame{"secret", "alice", std::move(members), asked[0].request_id});
  }
  void member_event(Event event, const std::string& user, const std::string& room) {
    server_sends(notice(event, user + " changed in " + room, user, room));
  }
  static MessageFrame dm_line(const std::string& other, std::int64_t id, const std::string& author) {
    MessageFrame line = chat_line("", ChatLine{id, 1'700'000'000'000 + id, author, "dm " + std::to_string(id)}, true);
    line.dm = other;
    return line;
  }
};

TEST_F(ViewModelPrivateTest, TheAccountsListMarksItsPrivateRoomsAndNamesItsConversations) {
  signed_in_as("alice");
  server_sends_account_rooms({"general", "jeux", "secret"}, {"secret"}, {"bob"});
  EXPECT_EQ(vm_.state().rooms, (Names{"general", "jeux", "secret"}));
  EXPECT_EQ(vm_.state().private_rooms, Names{"secret"});
  EXPECT_EQ(vm_.state().dms, Names{"bob"});
  EXPECT_TRUE(is_private_room(vm_.state(), "secret"));
  EXPECT_FALSE(is_private_room(vm_.state(), "jeux"));
}

TEST_F(ViewModelPrivateTest, CreatingAPrivateRoomSendsPrivateTrueAndItsCreationMarksIt) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.create_private_room("secret"));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* create = std::get_if<CreateRoom>(&frames[0]);
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->room, "secret");
  EXPECT_TRUE(create->is_private);
  MessageFrame created = notice(Event::room_created, "Room secret created", "", "secret");
  created.is_private = true;
  server_answers(created);
  EXPECT_EQ(vm_.state().rooms, (Names{"general", "secret"}));
  EXPECT_EQ(vm_.state().private_rooms, Names{"secret"});
}

TEST_F(ViewModelPrivateTest, AGuestCannotCreateAPrivateRoomNorStartAConversation) {
  connect_and_login("guest");
  EXPECT_FALSE(vm_.create_private_room("secret"));
  EXPECT_NE(vm_.state().room_error.find("sign in"), std::string::npos);
  EXPECT_FALSE(vm_.open_conversation("bob"));
  EXPECT_NE(vm_.state().input_error.find("sign in"), std::string::npos);
  EXPECT_TRUE(sent().empty());
  EXPECT_TRUE(vm_.state().current_dm.empty());
}

TEST_F(ViewModelPrivateTest, EnteringAPrivateRoomGivesItsOwnerAndMembers) {
  alice_in_her_room();
  EXPECT_EQ(vm_.state().room_owner, "alice");
  EXPECT_EQ(vm_.state().room_members, (Names{"alice", "bob"}));
  EXPECT_TRUE(owns_current_room(vm_.state()));
  // A public room has no member list: leaving for one forgets it, and asks for nothing.
  ASSERT_TRUE(vm_.join_room("general"));
  sent();
  server_says_joined("general");
  EXPECT_TRUE(sent().empty());
  EXPECT_TRUE(vm_.state().room_owner.empty());
  EXPECT_TRUE(vm_.state().room_members.empty());
  EXPECT_FALSE(owns_current_room(vm_.state()));
}

TEST_F(ViewModelPrivateTest, TheOwnerInvitesAndTheMemberListGrowsOnMemberAdded) {
  alice_in_her_room({"alice"});
  ASSERT_TRUE(vm_.invite("carol"));
  const auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  const auto* invite = std::get_if<InviteMember>(&asked[0].frame);
  ASSERT_NE(invite, nullptr);
  EXPECT_EQ(invite->room, "secret");
  EXPECT_EQ(invite->user, "carol");
  server_answers(asked[0].request_id, notice(Event::member_added, "Carol joined the members of secret", "Carol", "secret"));
  EXPECT_EQ(vm_.state().room_members, (Names{"alice", "Carol"}));
  EXPECT_EQ(vm_.visible_log().back().text, "Carol joined the members of secret");
}

TEST_F(ViewModelPrivateTest, ARefusedInviteIsShownAtTheMemberControls) {
  alice_in_her_room();
  ASSERT_TRUE(vm_.invite("nobody"));
  server_refuses(ErrorCode::no_such_account, "nobody");
  EXPECT_FALSE(vm_.state().member_error.empty());
  EXPECT_EQ(vm_.state().room_members, (Names{"alice", "bob"}));
  ASSERT_TRUE(vm_.invite("carol"));  // the next attempt clears it once answered
  server_answers(notice(Event::member_added, "carol joined", "carol", "secret"));
  EXPECT_TRUE(vm_.state().member_error.empty());
}

TEST_F(ViewModelPrivateTest, OnlyTheOwnerInvitesOrRemoves) {
  signed_in_as("bob");
  server_sends_account_rooms({"general", "secret"}, {"secret"}, {});
  ASSERT_TRUE(vm_.join_room("secret"));
  sent();
  server_says_joined("secret");
  const auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  server_sends(RoomMembersFrame{"secret", "alice", {"alice", "bob"}, asked[0].request_id});
  EXPECT_FALSE(owns_current_room(vm_.state()));
  EXPECT_FALSE(vm_.invite("carol"));
  EXPECT_FALSE(vm_.remove_member("alice"));
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelPrivateTest, TheOwnerRemovesAMemberAndTheListShrinksOnMemberRemoved) {
  alice_in_her_room();
  ASSERT_TRUE(vm_.remove_member("bob"));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* removal = std::get_if<RemoveMember>(&frames[0]);
  ASSERT_NE(removal, nullptr);
  EXPECT_EQ(removal->room, "secret");
  EXPECT_EQ(removal->user, "bob");
  server_answers(notice(Event::member_removed, "bob left the members of secret", "bob", "secret"));
  EXPECT_EQ(vm_.state().room_members, Names{"alice"});
  EXPECT_EQ(vm_.state().rooms, (Names{"general", "secret"})) << "the owner keeps the room";
  EXPECT_FALSE(vm_.remove_member("alice")) << "the owner deletes the room instead";
}

TEST_F(ViewModelPrivateTest, AMemberLeavesByRemovingThemself) {
  signed_in_as("bob");
  server_sends_account_rooms({"general", "secret"}, {"secret"}, {});
  ASSERT_TRUE(vm_.join_room("secret"));
  sent();
  server_says_joined("secret");
  sent();
  ASSERT_TRUE(vm_.leave_room());
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* removal = std::get_if<RemoveMember>(&frames[0]);
  ASSERT_NE(removal, nullptr);
  EXPECT_EQ(removal->room, "secret");
  EXPECT_EQ(removal->user, "bob");
  server_answers(notice(Event::member_removed, "bob left the members of secret", "bob", "secret"));
  EXPECT_EQ(vm_.state().rooms, Names{"general"});
  EXPECT_TRUE(vm_.state().private_rooms.empty());
  server_says_joined("general");  // the server moves us itself
  EXPECT_EQ(vm_.state().current_room, "general");
}

TEST_F(ViewModelPrivateTest, APublicRoomCannotBeLeft) {
  signed_in_as("bob");
  EXPECT_FALSE(vm_.leave_room());
  EXPECT_FALSE(vm_.state().member_error.empty());
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelPrivateTest, BeingInvitedMakesTheRoomAppear) {
  signed_in_as("bob");
  member_event(Event::member_added, "bob", "secret");
  EXPECT_EQ(vm_.state().rooms, (Names{"general", "secret"}));
  EXPECT_EQ(vm_.state().private_rooms, Names{"secret"});
  member_event(Event::member_added, "bob", "secret");  // told twice (another device): once in the list
  EXPECT_EQ(vm_.state().rooms, (Names{"general", "secret"}));
  member_event(Event::member_added, "carol", "other");  // someone else: no room appears
  EXPECT_EQ(vm_.state().rooms, (Names{"general", "secret"}));
}

TEST_F(ViewModelPrivateTest, BeingRemovedWhileInTheRoomDropsItAndTheServerMovesUsToGeneral) {
  signed_in_as("bob");
  server_sends_account_rooms({"general", "secret"}, {"secret"}, {});
  ASSERT_TRUE(vm_.join_room("secret"));
  sent();
  server_says_joined("secret");
  const auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  server_sends(RoomMembersFrame{"secret", "alice", {"alice", "bob"}, asked[0].request_id});
  member_event(Event::member_removed, "bob", "secret");
  EXPECT_EQ(vm_.state().rooms, Names{"general"});
  EXPECT_TRUE(vm_.state().room_members.empty());
  server_says_joined("general");
  EXPECT_EQ(vm_.state().current_room, "general");
  EXPECT_TRUE(sent().empty()) << "general is public: no member list asked for";
}

TEST_F(ViewModelPrivateTest, SigningOutForgetsTheAccountsRoomsAndConversations) {
  signed_in_as("alice");
  server_sends_account_rooms({"general", "secret"}, {"secret"}, {"bob"});
  server_sends(dm_line("bob", 4, "bob"));
  ASSERT_TRUE(vm_.sign_out());
  EXPECT_EQ(vm_.state().rooms, Names{"general"});
  EXPECT_TRUE(vm_.state().private_rooms.empty());
  EXPECT_TRUE(vm_.state().dms.empty());
}

TEST_F(ViewModelPrivateTest, ASessionEndedElsewhereForgetsTheAccountsRoomsToo) {
  signed_in_as("alice");
  server_sends_account_rooms({"general", "secret"}, {"secret"}, {"bob"});
  vm_.on_close(now_, 4001);
  EXPECT_EQ(vm_.state().rooms, Names{"general"});
  EXPECT_TRUE(vm_.state().dms.empty());
}

TEST_F(ViewModelPrivateTest, MembersOfARoomLeftSinceAreNotShown) {
  alice_in_her_room();
  ASSERT_TRUE(vm_.join_room("general"));
  sent();
  server_says_joined("general");
  server_sends(RoomMembersFrame{"secret", "alice", {"alice", "bob", "carol"}, ""});
  EXPECT_TRUE(vm_.state().room_members.empty());
}

// ---- Direct conversations.

TEST_F(ViewModelPrivateTest, OpeningAConversationShowsItAndAsksForItsNewestLines) {
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

TEST_F(ViewModelPrivateTest, LinesTypedInAConversationAreSentWithDm) {
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

TEST_F(ViewModelPrivateTest, ADirectLineWhileInARoomListsTheConversationWithoutTouchingTheRoom) {
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

TEST_F(ViewModelPrivateTest, ChoosingTheRoomAgainLeavesTheConversationWithoutAskingTheServer) {
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

TEST_F(ViewModelPrivateTest, JoiningAnotherRoomLeavesTheConversation) {
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

TEST_F(ViewModelPrivateTest, OlderLinesOfAConversationArePagedWithDm) {
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

TEST_F(ViewModelPrivateTest, OneCannotOpenAConversationWithOneself) {
  signed_in_as("alice");
  EXPECT_FALSE(vm_.open_conversation("alice"));
  EXPECT_TRUE(vm_.state().current_dm.empty());
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelPrivateTest, ARefusedDirectLineIsShownAtTheInput) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.open_conversation("nobody"));
  sent();
  ASSERT_TRUE(vm_.send_message("hello?"));
  server_refuses(ErrorCode::no_such_account, "nobody");
  EXPECT_FALSE(vm_.state().input_error.empty());
}

TEST_F(ViewModelPrivateTest, AConversationShownIsReadAgainAfterAResume) {
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
