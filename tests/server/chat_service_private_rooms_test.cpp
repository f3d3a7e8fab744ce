// The chat core's private rooms (docs/ACCOUNTS.md, Step 3): creation by accounts, one visibility
// check on every route, invite / remove_member / room_members, member changes told once to each
// session, a removed member moved out at once, the account's own rooms list, restore.
#include "fakes/private_room_test.hpp"

namespace chat {
namespace {

using ChatServicePrivateRoomsTest = PrivateRoomTest;

TEST_F(ChatServicePrivateRoomsTest, AnAccountCreatesAPrivateRoomAGuestMayNot) {
  const auto [alice, token] = device("alice");
  const MessageFrame created = create_private(alice, "secret");
  EXPECT_FALSE(created.error);
  EXPECT_EQ(created.event, Event::room_created);
  EXPECT_TRUE(created.is_private);
  ASSERT_EQ(store_.rooms().size(), 2u);
  EXPECT_TRUE(store_.rooms()[1].is_private);
  EXPECT_EQ(store_.rooms()[1].members, std::vector<AccountId>{store_.rooms()[1].owner});
  const SessionId guest = logged_in("guest", kCurrentVersion);
  EXPECT_EQ(ask(guest, CreateRoom{"hideout", true}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(guest, CreateRoom{"Secret"}).error, ErrorCode::room_exists);  // one namespace of names
}

TEST_F(ChatServicePrivateRoomsTest, APrivateRoomIsAnnouncedToItsMembersOnlyAndListedToNobodyElse) {
  const auto [alice, token] = device("alice");
  const auto [phone, phone_token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const SessionId guest = logged_in("guest", kCurrentVersion);
  const SessionId seed = logged_in("old");
  transport_.clear();  // presence and lists so far
  create_private(alice, "secret");
  const auto told = events_of(transport_.take(phone), Event::room_created);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_TRUE(told[0].is_private);
  EXPECT_TRUE(transport_.take(bob).empty());
  EXPECT_TRUE(transport_.take(guest).empty());
  clock_.now += 5'000;
  service_->on_tick();
  EXPECT_TRUE(transport_.take(seed).empty());  // the seed's list has not changed
  const SessionId newcomer = next_id_++;
  service_->connect(newcomer, "192.0.2.1");
  const auto lists = frames_of<RoomsFrame>(transport_.take(newcomer));
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].rooms, std::vector<std::string>{"general"});
  send(alice, DeleteRoom{"secret"});
  EXPECT_EQ(events_of(transport_.take(phone), Event::room_deleted).size(), 1u);
  EXPECT_TRUE(transport_.take(bob).empty());
  EXPECT_TRUE(transport_.take(guest).empty());
}

// Every route a non-member could read or touch a private room by, answered as for no room at all.
TEST_F(ChatServicePrivateRoomsTest, ANonMemberGetsNoSuchRoomByEveryRoute) {
  const auto [alice, token] = device("alice");
  create_private(alice, "secret");
  send(alice, JoinRoom{"secret"});
  send(alice, SendMessage{"the plan"});
  const auto [bob, bob_token] = device("bob");
  const SessionId guest = logged_in("guest", kCurrentVersion);
  transport_.clear();
  for (const SessionId outsider : {bob, guest}) {
    const std::vector<ClientFrame> routes{JoinRoom{"secret"}, History{"secret"}, DeleteRoom{"secret"},
                                          InviteMember{"secret", "bob"}, RemoveMember{"secret", "alice"},
                                          ListRoomMembers{"secret"}};
    for (const ClientFrame& route : routes) {
      send(outsider, route);
      const auto frames = transport_.take(outsider);
      ASSERT_EQ(frames.size(), 1u) << route.index();
      const MessageFrame answer = first_message(frames);
      EXPECT_EQ(answer.error, ErrorCode::no_such_room) << route.index();
      EXPECT_EQ(answer.message, refusal_sentence("secret")) << route.index();
    }
    EXPECT_TRUE(frames_of<HistoryFrame>(transport_.take(outsider)).empty());
  }
  // Resume names the room: bob is put in general, and reads nothing of it.
  const SessionId back = connect();
  send(back, Resume{bob_token, "secret", 0});
  const auto frames = transport_.take(back);
  EXPECT_EQ(first_message(frames).event, Event::resumed);
  EXPECT_EQ(first_message(frames).room, "general");
  for (const auto& history : frames_of<HistoryFrame>(frames)) EXPECT_EQ(history.room, "general");
  EXPECT_EQ(store_.rooms().size(), 2u);  // not deleted
}

TEST_F(ChatServicePrivateRoomsTest, TheOwnerInvitesAndEverySessionConcernedHearsItOnce) {
  const auto [alice, token] = device("alice");
  const SessionId alice_phone = connect();  // another spelling, the same owner
  password_login(alice_phone, "Alice", kPassword);
  const auto [bob, bob_token] = device("bob");
  const auto [bob_phone, bob_phone_token] = device("bob");
  create_private(alice, "secret");
  send(alice_phone, JoinRoom{"secret"});
  transport_.clear();
  const auto answer = ask_raw(alice, R"({"action":"invite","room":"secret","user":"BOB","request_id":7})");
  ASSERT_EQ(answer.size(), 1u);
  const MessageFrame reply = first_message(answer);
  EXPECT_EQ(reply.event, Event::member_added);
  EXPECT_EQ(reply.user, "bob");  // the account's own spelling
  EXPECT_EQ(reply.room, "secret");
  EXPECT_EQ(reply.request_id, "7");
  for (const SessionId told : {alice_phone, bob, bob_phone}) {
    const auto added = events_of(transport_.take(told), Event::member_added);
    ASSERT_EQ(added.size(), 1u) << told;
    EXPECT_EQ(added[0].user, "bob");
    EXPECT_TRUE(added[0].request_id.empty());
  }
  EXPECT_FALSE(first_message(ask_raw(bob, R"({"action":"join_room","room":"secret"})")).error);
  send(alice_phone, ListRoomMembers{"secret"});
  const auto members = frames_of<RoomMembersFrame>(transport_.take(alice_phone));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].owner, "alice");
  EXPECT_EQ(members[0].members, (std::vector<std::string>{"alice", "bob"}));
  // Inviting a member again: the same answer, and nobody else hears anything.
  EXPECT_EQ(ask(alice_phone, InviteMember{"secret", "bob"}).event, Event::member_added);
  EXPECT_TRUE(events_of(transport_.take(bob), Event::member_added).empty());
  EXPECT_TRUE(events_of(transport_.take(bob_phone), Event::member_added).empty());
  ASSERT_EQ(store_.rooms()[1].members.size(), 2u);
}

TEST_F(ChatServicePrivateRoomsTest, InviteRefusals) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  device("carol");
  create_private(alice, "secret");
  send(alice, CreateRoom{"open"});
  EXPECT_EQ(ask(alice, InviteMember{"secret", "nobody"}).error, ErrorCode::no_such_account);
  EXPECT_EQ(ask(alice, InviteMember{"open", "bob"}).error, ErrorCode::not_allowed);  // a public room
  EXPECT_EQ(ask(alice, ListRoomMembers{"open"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(alice, RemoveMember{"open", "bob"}).error, ErrorCode::not_allowed);
  send(alice, InviteMember{"secret", "bob"});
  EXPECT_EQ(ask(bob, InviteMember{"secret", "carol"}).error, ErrorCode::not_allowed);  // not the owner
  const SessionId guest = logged_in("guest", kCurrentVersion);
  EXPECT_EQ(ask(alice, InviteMember{"secret", "guest"}).error, ErrorCode::no_such_account);  // guests are never members
  store_.failing = true;
  EXPECT_EQ(ask(alice, InviteMember{"secret", "carol"}).error, ErrorCode::store_unavailable);
  store_.failing = false;
  (void)guest;
}

TEST_F(ChatServicePrivateRoomsTest, MembersBeyondTheCapAreRefused) {
  ServiceOptions options;
  options.max_room_members = 2;
  start(options);
  const auto [alice, token] = device("alice");
  device("bob");
  device("carol");
  create_private(alice, "secret");
  EXPECT_EQ(ask(alice, InviteMember{"secret", "bob"}).event, Event::member_added);
  EXPECT_EQ(ask(alice, InviteMember{"secret", "carol"}).error, ErrorCode::too_many_members);
  EXPECT_EQ(ask(alice, InviteMember{"secret", "bob"}).event, Event::member_added);  // already one: no more members
}

// Two of the owner's devices invite at once: the second invitation is checked while the first is
// still with the store, and counts it. Until they did, each in-flight invitation passed the cap.
TEST_F(ChatServicePrivateRoomsTest, InvitationsInFlightCountAgainstTheCap) {
  ServiceOptions options;
  options.max_room_members = 2;
  start(options);
  const auto [laptop, token] = device("alice");
  const auto [phone, phone_token] = device("alice");
  device("bob");
  device("carol");
  create_private(laptop, "secret");
  send(laptop, InviteMember{"secret", "bob"}, /*complete=*/false);
  send(phone, InviteMember{"secret", "carol"}, /*complete=*/false);
  settle();
  EXPECT_EQ(only_message(laptop).event, Event::member_added);
  const auto phone_answers = frames_of<MessageFrame>(transport_.take(phone));
  EXPECT_TRUE(std::any_of(phone_answers.begin(), phone_answers.end(),
                          [](const MessageFrame& m) { return m.error == ErrorCode::too_many_members; }));
  send(phone, ListRoomMembers{"secret"});
  const auto members = frames_of<RoomMembersFrame>(transport_.take(phone));
  ASSERT_EQ(1u, members.size());
  EXPECT_EQ((std::vector<std::string>{"alice", "bob"}), members[0].members);
}

TEST_F(ChatServicePrivateRoomsTest, ARemovedMembersConnectionsInTheRoomAreMovedOutAtOnce) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const auto [bob_phone, phone_token] = device("bob");
  const auto [bob_tab, tab_token] = device("bob");
  create_private(alice, "secret");
  send(alice, InviteMember{"secret", "bob"});
  send(alice, JoinRoom{"secret"});
  send(bob, JoinRoom{"secret"});
  send(bob_phone, JoinRoom{"secret"});
  transport_.clear();
  send(alice, RemoveMember{"secret", "bob"});
  const auto answer = transport_.take(alice);
  EXPECT_EQ(first_message(answer).event, Event::member_removed);
  EXPECT_EQ(events_of(answer, Event::member_removed).size(), 1u);  // in the room, yet told once: the reply
  for (const SessionId moved : {bob, bob_phone}) {
    const auto frames = transport_.take(moved);
    ASSERT_EQ(events_of(frames, Event::member_removed).size(), 1u) << moved;
    const auto joined = events_of(frames, Event::joined);
    ASSERT_EQ(joined.size(), 1u);
    EXPECT_EQ(joined[0].room, "general");
    const auto members = frames_of<MembersFrame>(frames);
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0].room, "general");
  }
  const auto elsewhere = transport_.take(bob_tab);  // in general already: told, not moved
  EXPECT_EQ(events_of(elsewhere, Event::member_removed).size(), 1u);
  EXPECT_TRUE(events_of(elsewhere, Event::joined).empty());
  const auto presence = frames_of<PresenceFrame>(answer);
  ASSERT_EQ(presence.size(), 1u);  // bob left once, both his connections gone
  EXPECT_EQ(presence[0].user, "bob");
  EXPECT_FALSE(presence[0].joined);
  EXPECT_EQ(ask(bob, JoinRoom{"secret"}).error, ErrorCode::no_such_room);
  send(alice, SendMessage{"bob is gone"});
  EXPECT_TRUE(transport_.take(bob).empty());
}

TEST_F(ChatServicePrivateRoomsTest, AMemberMayLeaveTheOwnerMayNotAndOthersMayNotRemove) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const auto [carol, carol_token] = device("carol");
  create_private(alice, "secret");
  send(alice, InviteMember{"secret", "bob"});
  send(alice, InviteMember{"secret", "carol"});
  EXPECT_EQ(ask(bob, RemoveMember{"secret", "carol"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(bob, RemoveMember{"secret", "alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(alice, RemoveMember{"secret", "alice"}).error, ErrorCode::not_allowed);  // delete it instead
  transport_.take(alice);
  EXPECT_EQ(ask(bob, RemoveMember{"secret", "bob"}).event, Event::member_removed);
  EXPECT_EQ(events_of(transport_.take(alice), Event::member_removed).size(), 0u);  // not in the room: not told
  EXPECT_EQ(ask(alice, RemoveMember{"secret", "bob"}).event, Event::member_removed);  // no member: the same answer
  EXPECT_EQ(ask(bob, History{"secret"}).error, ErrorCode::no_such_room);
}

TEST_F(ChatServicePrivateRoomsTest, OnlyTheOwnerDeletesAPrivateRoom) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  create_private(alice, "secret");
  send(alice, InviteMember{"secret", "bob"});
  send(bob, JoinRoom{"secret"});
  transport_.take(bob);
  EXPECT_EQ(ask(bob, DeleteRoom{"secret"}).error, ErrorCode::not_allowed);
  const SessionId phone = connect();
  password_login(phone, "ALICE", kPassword);
  EXPECT_EQ(ask(phone, DeleteRoom{"secret"}).event, Event::room_deleted);
  const auto frames = transport_.take(bob);
  EXPECT_EQ(events_of(frames, Event::room_deleted).size(), 1u);
  EXPECT_EQ(events_of(frames, Event::joined).size(), 1u);  // moved to general
}

TEST_F(ChatServicePrivateRoomsTest, AnAccountGetsItsOwnRoomsListAfterSigningIn) {
  const auto [alice, token] = device("alice");
  device("bob");
  send(alice, CreateRoom{"open"});
  create_private(alice, "secret");
  create_private(alice, "attic");
  send(alice, InviteMember{"attic", "bob"});
  const SessionId bob = connect();
  const auto frames = password_login(bob, "bob", kPassword);
  const auto lists = frames_of<RoomsFrame>(frames);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].rooms, (std::vector<std::string>{"general", "open", "attic"}));
  EXPECT_EQ(lists[0].private_rooms, std::vector<std::string>{"attic"});
  EXPECT_TRUE(lists[0].dms.empty());
  EXPECT_EQ(first_message(frames).event, Event::logged_in);  // the list follows the answer
  const SessionId back = connect();
  send(back, Resume{token, "secret", 0});
  const auto resumed = transport_.take(back);
  EXPECT_EQ(first_message(resumed).room, "secret");  // a member resumes into it
  const auto own = frames_of<RoomsFrame>(resumed);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].private_rooms, (std::vector<std::string>{"secret", "attic"}));
  const auto [carol, carol_token] = device("carol");  // in no private room: the list on connect only
  EXPECT_TRUE(frames_of<RoomsFrame>(transport_.take(carol)).empty());
}

TEST_F(ChatServicePrivateRoomsTest, PrivateRoomsAndTheirMembersSurviveARestart) {
  const auto [alice, token] = device("alice");
  device("bob");
  device("carol");
  create_private(alice, "secret");
  send(alice, InviteMember{"secret", "bob"});
  send(alice, InviteMember{"secret", "carol"});
  send(alice, RemoveMember{"secret", "carol"});
  start();
  const SessionId bob = connect();
  password_login(bob, "bob", kPassword);
  EXPECT_EQ(ask(bob, JoinRoom{"secret"}).event, Event::joined);
  const SessionId carol = connect();
  password_login(carol, "carol", kPassword);
  EXPECT_EQ(ask(carol, JoinRoom{"secret"}).error, ErrorCode::no_such_room);
  send(bob, ListRoomMembers{"secret"});
  const auto members = frames_of<RoomMembersFrame>(transport_.take(bob));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].owner, "alice");
  EXPECT_EQ(members[0].members, (std::vector<std::string>{"alice", "bob"}));
  const SessionId newcomer = next_id_++;
  service_->connect(newcomer, "192.0.2.1");
  EXPECT_EQ(frames_of<RoomsFrame>(transport_.take(newcomer))[0].rooms, std::vector<std::string>{"general"});
}

TEST_F(ChatServicePrivateRoomsTest, AMemberChangeFromAnotherNodeReachesThisNodesSessions) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  create_private(alice, "secret");
  send(alice, JoinRoom{"secret"});
  transport_.take(alice);
  transport_.take(bob);
  const AccountId bob_id = store_.rooms()[1].owner + 1;
  service_->room_member_added("secret", bob_id);
  service_->room_member_added("secret", bob_id);  // heard twice: told once
  EXPECT_EQ(events_of(transport_.take(alice), Event::member_added).size(), 1u);
  EXPECT_EQ(events_of(transport_.take(bob), Event::member_added).size(), 1u);
  EXPECT_EQ(ask(bob, JoinRoom{"secret"}).event, Event::joined);
  transport_.take(alice);
  service_->room_member_removed("secret", bob_id);
  EXPECT_EQ(events_of(transport_.take(bob), Event::joined).size(), 1u);  // moved out at once
}

}  // namespace
}  // namespace chat
