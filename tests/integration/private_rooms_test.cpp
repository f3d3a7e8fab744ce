// Private rooms over real sockets (docs/ACCOUNTS.md, "Step 3: private rooms and direct
// conversations", with the bytes of tests/shared/codec_private_rooms_test.cpp): guests refused;
// a room its non-members cannot see by any route, nor find in any list; an invitee who finds it in
// the list of its next sign-in, joins and chats; a removed member's connections moved to general
// at once, on both devices; who may invite and remove; creation and deletion told to members
// only; --max-room-members. Every sign-in hashes with the real Argon2id: a few per test.
#include "private_rooms_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using chat::Event;
using Rooms = std::vector<std::string>;

TEST_F(PrivateRoomsTest, AGuestIsRefusedAPrivateRoom) {
  auto seed_guest = connect_as("visitor");
  auto guest = connect_v2("guest");
  for (auto* client : {seed_guest.get(), guest.get()}) {
    client->send(chat::CreateRoom{"secret", true});
    expect_refused(*client, ErrorCode::not_allowed);
  }
  auto alice = registered("alice");
  create_private(*alice, "secret");  // nothing of the refusals took the name
  expect_quiet(*guest);
}

// Every route a non-member might take is answered exactly as for a room that does not exist:
// the same frames, byte for byte, before and after the room is deleted.
TEST_F(PrivateRoomsTest, APrivateRoomIsInvisibleToNonMembersByEveryRoute) {
  auto alice = registered("alice");
  std::string bob_token;
  auto bob = registered("bob", &bob_token);
  auto seed_guest = connect_as("visitor");
  auto guest = connect_v2("guest");
  create_private(*alice, "secret");
  alice->send(chat::CreateRoom{"jeux"});  // then a public room: the lists others get hold it alone
  expect_event(*alice, Event::room_created, "", "jeux");
  for (auto* client : {bob.get(), guest.get()}) expect_event(*client, Event::room_created, "", "jeux");
  EXPECT_EQ(seed_guest->expect_rooms(), (Rooms{"general", "jeux"}));
  EXPECT_EQ(ChatTestClient(port()).expect_rooms(), (Rooms{"general", "jeux"}));

  for (const bool is_private : {false, true}) {  // one namespace of room names
    bob->send(chat::CreateRoom{"secret", is_private});
    expect_refused(*bob, ErrorCode::room_exists);
  }
  const std::vector<chat::ClientFrame> bob_routes = {
      chat::JoinRoom{"secret"},          chat::History{"secret"},           chat::DeleteRoom{"secret"},
      chat::InviteMember{"secret", "bob"}, chat::RemoveMember{"secret", "alice"}, chat::RemoveMember{"secret", "bob"},
      chat::ListRoomMembers{"secret"}};
  const std::vector<chat::ClientFrame> guest_routes = {chat::JoinRoom{"secret"}, chat::History{"secret"},
                                                       chat::DeleteRoom{"secret"}, chat::ListRoomMembers{"secret"}};
  auto answers = [](ChatTestClient& client, const std::vector<chat::ClientFrame>& routes) {
    std::vector<std::string> raw;
    for (const auto& route : routes) {
      client.send(route);
      next_message(client);
      raw.push_back(client.last_raw());
    }
    return raw;
  };
  const std::vector<std::string> bob_while_it_exists = answers(*bob, bob_routes);
  for (const auto& answer : bob_while_it_exists) EXPECT_NE(answer.find(R"("error":"no_such_room")"), std::string::npos) << answer;
  const std::vector<std::string> guest_while_it_exists = answers(*guest, guest_routes);
  // resume's room: a session resumed into the room lands in general, as for a room that is gone.
  auto bob_again = connect();
  bob_again->resume(chat::Resume{bob_token, "secret", 0}, "bob", "general");
  expect_room_frames(*bob_again, "general");

  alice->send(chat::DeleteRoom{"secret"});
  expect_event(*alice, Event::room_deleted, "", "secret");
  for (auto* client : {bob.get(), bob_again.get(), guest.get()}) expect_quiet(*client);  // not theirs to hear of
  EXPECT_EQ(answers(*bob, bob_routes), bob_while_it_exists);
  EXPECT_EQ(answers(*guest, guest_routes), guest_while_it_exists);
}

TEST_F(PrivateRoomsTest, AnInviteeFindsTheRoomInItsListAtSignInThenJoinsAndChats) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  create_private(*alice, "secret");
  alice->send(chat::CreateRoom{"jeux"});
  expect_event(*alice, Event::room_created, "", "jeux");
  expect_event(*bob, Event::room_created, "", "jeux");
  invite(*alice, "secret", "bob", {bob.get()});  // bob's open connection hears it too

  std::string list;
  auto bob_phone = signed_in("bob", true, &list);
  EXPECT_TRUE(is_documented_frame(list, own_list({"general", "jeux", "secret"}, {"secret"}, {})));  // public first
  auto alice_phone = signed_in("alice", true, &list);
  EXPECT_TRUE(is_documented_frame(list, own_list({"general", "jeux", "secret"}, {"secret"}, {})));

  bob_phone->send(chat::ListRoomMembers{"secret"});
  EXPECT_TRUE(std::holds_alternative<chat::RoomMembersFrame>(next_frame(*bob_phone))) << bob_phone->last_raw();
  EXPECT_TRUE(is_documented_frame(bob_phone->last_raw(),
                                  R"({"action":"room_members","room":"secret","owner":"alice","members":["alice","bob"]})"));
  join(*bob_phone, "secret");
  join(*alice, "secret");
  const std::string hello = unique_text("hello");
  const chat::ChatLine first = say(*bob_phone, "bob", "secret", hello);
  EXPECT_EQ(expect_room_line(*alice, "bob", "secret", hello).id, first.id);
  const std::string answer = unique_text("answer");
  EXPECT_EQ(say(*alice, "alice", "secret", answer).id, first.id + 1);
  expect_room_line(*bob_phone, "alice", "secret", answer);
  // In general: the counts of the room (step 4), not its lines.
  expect_unread(*bob, {in_room("secret", first.id, 0)});
  expect_unread(*bob, {in_room("secret", first.id, 1)});
  expect_unread(*alice_phone, {in_room("secret", 0, 1)});
  expect_unread(*alice_phone, {in_room("secret", first.id + 1, 0)});
  for (auto* client : {bob.get(), alice_phone.get()}) expect_quiet(*client);
  bob->send(chat::History{"secret"});  // a member reads it from anywhere
  const auto page = std::get<chat::HistoryFrame>(next_frame(*bob));
  ASSERT_EQ(page.lines.size(), 2u);
  EXPECT_EQ(page.lines[0].text, hello);
}

// A member's resume into the room puts it back there, with its lines and the account's own list.
TEST_F(PrivateRoomsTest, AMembersResumeEntersThePrivateRoomAndListsIt) {
  std::string token;
  auto alice = registered("alice", &token);
  create_private(*alice, "secret");
  join(*alice, "secret");
  const std::string said = unique_text("before the drop");
  alice->send(chat::SendMessage{said});
  const chat::ChatLine line = expect_own_line(*alice, "alice", "secret", "", said);
  alice->abort();
  auto back = connect();
  back->resume(chat::Resume{token, "secret", 0}, "alice", "secret");
  const std::string list = finish_sign_in(*back, true, "secret");
  EXPECT_TRUE(is_documented_frame(list, own_list({"general", "secret"}, {"secret"}, {})));
  back->send(chat::History{"secret"});
  const chat::ServerFrame page = next_frame(*back);
  ASSERT_TRUE(std::holds_alternative<chat::HistoryFrame>(page)) << back->last_raw();
  ASSERT_EQ(std::get<chat::HistoryFrame>(page).lines.size(), 1u);
  EXPECT_EQ(std::get<chat::HistoryFrame>(page).lines[0].id, line.id);
}

// The owner removes a member who is in the room on two devices: both move to general at once,
// the room hears `left`, and the room is gone for them by every route.
TEST_F(PrivateRoomsTest, ARemovedMembersConnectionsMoveToGeneralAtOnce) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  auto bob_phone = signed_in("bob", true);
  join(*bob, "secret");
  join(*bob_phone, "secret");
  join(*alice, "secret");

  alice->send(chat::RemoveMember{"secret", "bob"});
  bool told = false;
  bool left = false;
  while (!(told && left)) {  // the reply and the room's `left`, in either order
    const chat::ServerFrame frame = alice->next_json();
    if (const auto* gone = std::get_if<chat::PresenceFrame>(&frame); gone && !left) {
      EXPECT_EQ(gone->room, "secret");
      EXPECT_EQ(gone->user, "bob");
      EXPECT_FALSE(gone->joined);
      left = true;
    } else {
      const auto* message = std::get_if<chat::MessageFrame>(&frame);
      ASSERT_TRUE(message && !told && message->event == Event::member_removed && message->user == "bob" &&
                  message->room == "secret")
          << alice->last_raw();
      told = true;
    }
  }
  for (auto* device : {bob.get(), bob_phone.get()}) expect_moved_to_general(*device, Event::member_removed, "bob", "secret");

  bob->send(chat::JoinRoom{"secret"});
  expect_refused(*bob, ErrorCode::no_such_room);
  bob_phone->send(chat::ListRoomMembers{"secret"});
  expect_refused(*bob_phone, ErrorCode::no_such_room);
  say(*alice, "alice", "secret", unique_text("after bob"));
  const std::string in_general = unique_text("back in general");
  bob->send(chat::SendMessage{in_general});
  for (auto* device : {bob.get(), bob_phone.get()}) expect_own_line(*device, "bob", "general", "", in_general);
  expect_quiet(*alice);
}

TEST_F(PrivateRoomsTest, OnlyTheOwnerInvitesAndRemovesOthersAndAMemberMayLeave) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  alice->send(chat::InviteMember{"secret", "nobody"});
  expect_refused(*alice, ErrorCode::no_such_account);
  alice->send(chat::RemoveMember{"secret", "alice"});  // the owner deletes the room instead
  expect_refused(*alice, ErrorCode::not_allowed);
  bob->send(chat::InviteMember{"secret", "alice"});
  expect_refused(*bob, ErrorCode::not_allowed);
  bob->send(chat::RemoveMember{"secret", "alice"});
  expect_refused(*bob, ErrorCode::not_allowed);
  leave(*bob, "bob", "secret");
  bob->send(chat::JoinRoom{"secret"});
  expect_refused(*bob, ErrorCode::no_such_room);
  alice->send(chat::ListRoomMembers{"secret"});
  next_frame(*alice);
  EXPECT_TRUE(is_documented_frame(alice->last_raw(),
                                  R"({"action":"room_members","room":"secret","owner":"alice","members":["alice"]})"));

  alice->send(chat::CreateRoom{"jeux"});  // a public room has no members to manage
  expect_event(*alice, Event::room_created, "", "jeux");
  expect_event(*bob, Event::room_created, "", "jeux");
  for (const chat::ClientFrame& request : std::vector<chat::ClientFrame>{
           chat::InviteMember{"jeux", "bob"}, chat::RemoveMember{"jeux", "bob"}, chat::ListRoomMembers{"jeux"}}) {
    alice->send(request);
    expect_refused(*alice, ErrorCode::not_allowed);
  }
  expect_quiet(*bob);
}

// Inviting a member again or removing a non-member is answered as if it changed something.
TEST_F(PrivateRoomsTest, InvitingAMemberAgainOrRemovingANonMemberIsAnsweredAsDone) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  alice->send(chat::InviteMember{"secret", "bob"});
  expect_event(*alice, Event::member_added, "bob", "secret");
  leave(*bob, "bob", "secret");
  bob->send(chat::RemoveMember{"secret", "bob"});
  // No longer a member, bob cannot see the room: as for a room that does not exist.
  expect_refused(*bob, ErrorCode::no_such_room);
  alice->send(chat::RemoveMember{"secret", "bob"});
  expect_event(*alice, Event::member_removed, "bob", "secret");
  alice->send(chat::ListRoomMembers{"secret"});
  next_frame(*alice);
  EXPECT_TRUE(is_documented_frame(alice->last_raw(),
                                  R"({"action":"room_members","room":"secret","owner":"alice","members":["alice"]})"));
}

TEST_F(PrivateRoomsTest, CreationAndDeletionAreToldToMembersOnly) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto carol = registered("carol");
  auto alice_phone = signed_in("alice", false);
  create_private(*alice, "secret", {alice_phone.get()});  // the owner's other device hears it
  expect_quiet(*bob);
  expect_quiet(*carol);
  invite(*alice, "secret", "bob", {bob.get()});
  join(*bob, "secret");
  alice->send(chat::DeleteRoom{"secret"});
  expect_event(*alice, Event::room_deleted, "", "secret");
  expect_event(*alice_phone, Event::room_deleted, "", "secret");
  expect_moved_to_general(*bob, Event::room_deleted, "", "secret");
  expect_quiet(*carol);
  alice->send(chat::CreateRoom{"secret", true});  // the name is free again
  expect_private_room_created(*alice, "secret");
}

class SmallPrivateRoomsTest : public PrivateRoomsTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--max-room-members", "2"}; }
};

TEST_F(SmallPrivateRoomsTest, MembersBeyondTheCapAreRefusedWithTooManyMembers) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto carol = registered("carol");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  alice->send(chat::InviteMember{"secret", "carol"});  // the owner counts
  expect_refused(*alice, ErrorCode::too_many_members);
  expect_quiet(*carol);
  alice->send(chat::InviteMember{"secret", "bob"});  // a member already: no new member, no refusal
  expect_event(*alice, Event::member_added, "bob", "secret");
  leave(*bob, "bob", "secret");
  invite(*alice, "secret", "carol", {carol.get()});
}

}  // namespace
}  // namespace chat_it
