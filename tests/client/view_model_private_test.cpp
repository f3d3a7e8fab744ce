// ViewModel's private rooms (docs/ACCOUNTS.md, "Step 3"): the account's rooms list, creating a
// private room, the owner's member list, invite and remove, leaving, the room appearing and going
// on member_added/removed naming us, and all of it forgotten when the account's session ends.
// Direct conversations are view_model_dm_test.cpp's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "view_model_private_fixture.hpp"

namespace chat::client {
namespace {

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
  in_alices_room_as("bob");
  EXPECT_FALSE(owns_current_room(vm_.state()));
  EXPECT_FALSE(vm_.invite("carol"));
  EXPECT_FALSE(vm_.remove_member("alice"));
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelPrivateTest, TheOwnerRemovesAMemberAndTheListShrinksOnMemberRemoved) {
  alice_in_her_room();
  ASSERT_TRUE(vm_.remove_member("bob"));
  expect_removal_sent("bob");
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
  expect_removal_sent("bob");
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
  in_alices_room_as("bob");
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

}  // namespace
}  // namespace chat::client
