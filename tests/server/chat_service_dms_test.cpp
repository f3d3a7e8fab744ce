// The chat core's direct conversations (docs/ACCOUNTS.md, Step 3): lines to every session of both
// accounts wherever they are, `dm` as the receiver sees it, history, the account's `dms`, the caps,
// refusals, and conversations that never show as rooms and survive a restart.
#include "fakes/private_room_test.hpp"

namespace chat {
namespace {

using ChatServiceDmsTest = PrivateRoomTest;

std::vector<MessageFrame> direct_lines(const std::vector<ServerFrame>& frames) {
  std::vector<MessageFrame> lines;
  for (const auto& frame : frames) {
    const auto* message = std::get_if<MessageFrame>(&frame);
    if (message && message->event == Event::chat && !message->dm.empty()) lines.push_back(*message);
  }
  return lines;
}

TEST_F(ChatServiceDmsTest, ALineGoesToEverySessionOfBothAccountsWhereverTheyAre) {
  const auto [alice, token] = device("alice");
  const auto [alice_phone, alice_token] = device("alice");
  const auto [bob, bob_token] = device("Bob");
  const auto [bob_phone, bob_phone_token] = device("Bob");
  send(alice, CreateRoom{"elsewhere"});
  send(bob_phone, JoinRoom{"elsewhere"});
  const SessionId guest = logged_in("guest", kCurrentVersion);
  transport_.clear();
  send(alice, SendMessage{"hi bob", "bob"});  // any spelling of his name
  const auto sent = transport_.take(alice);
  const auto echo = direct_lines(sent);
  ASSERT_EQ(echo.size(), 1u);
  EXPECT_EQ(echo[0].dm, "Bob");  // the sender's copy names the recipient
  EXPECT_EQ(echo[0].user, "alice");
  EXPECT_EQ(echo[0].chat_text(), "hi bob");
  EXPECT_TRUE(echo[0].room.empty());
  EXPECT_EQ(echo[0].id, 1);
  EXPECT_EQ(direct_lines(transport_.take(alice_phone)).size(), 1u);
  for (const SessionId receiver : {bob, bob_phone}) {
    const auto lines = direct_lines(transport_.take(receiver));
    ASSERT_EQ(lines.size(), 1u) << receiver;
    EXPECT_EQ(lines[0].dm, "alice");
    EXPECT_EQ(lines[0].chat_text(), "hi bob");
  }
  EXPECT_TRUE(transport_.take(guest).empty());
  send(bob_phone, SendMessage{"hello alice", "ALICE"});
  const auto reply = direct_lines(transport_.take(alice));
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].dm, "Bob");
  EXPECT_EQ(reply[0].id, 2);
}

// A client offers "Message" only for accounts: the members frame names them, and a presence
// frame says whether the person is one.
TEST_F(ChatServiceDmsTest, MembersAndPresenceSayWhichPeopleCanBeWrittenTo) {
  const auto [alice, token] = device("alice");
  const SessionId guest = logged_in("guest", kCurrentVersion);
  transport_.clear();
  const auto [bob, bob_token] = device("bob");
  const SessionId carl = logged_in("carl", kCurrentVersion);
  std::vector<std::string> told;
  for (const auto& presence : frames_of<PresenceFrame>(transport_.take(guest))) {
    told.push_back(presence.user + (presence.account ? " (account)" : ""));
  }
  EXPECT_EQ(told, (std::vector<std::string>{"bob (account)", "carl"}));

  const SessionId dave = connect();
  const auto members = frames_of<MembersFrame>(password_login(dave, "alice", kPassword));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].users, (std::vector<std::string>{"alice", "guest", "bob", "carl"}));
  EXPECT_EQ(members[0].accounts, (std::vector<std::string>{"alice", "bob"}));  // alice listed once
  service_->disconnect(bob);
  const auto left = frames_of<PresenceFrame>(transport_.take(carl));
  ASSERT_EQ(left.size(), 1u);
  EXPECT_FALSE(left[0].joined);
  EXPECT_TRUE(left[0].account);

  register_as(guest, "guest", kPassword);  // stays in the room, now an account
  const auto now = frames_of<PresenceFrame>(transport_.take(carl));
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].user, "guest");
  EXPECT_TRUE(now[0].joined);
  EXPECT_TRUE(now[0].account);
}

TEST_F(ChatServiceDmsTest, Refusals) {
  const auto [alice, token] = device("alice");
  const SessionId guest = logged_in("guest", kCurrentVersion);
  EXPECT_EQ(ask(guest, SendMessage{"hi", "alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(guest, History{"", 0, 50, "alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(alice, SendMessage{"hi", "nobody"}).error, ErrorCode::no_such_account);
  EXPECT_EQ(ask(alice, SendMessage{"hi", "guest"}).error, ErrorCode::no_such_account);  // a guest is no account
  EXPECT_EQ(ask(alice, SendMessage{"hi me", "Alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(alice, History{"", 0, 50, "alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(store_.rooms().size(), 1u);  // no conversation was opened
}

TEST_F(ChatServiceDmsTest, ALineToAnOfflineAccountIsKeptAndListedWhenItSignsIn) {
  service_->disconnect(device("bob").first);  // bob's only session
  const auto [alice, token] = device("alice");
  send(alice, SendMessage{"are you there?", "bob"});
  send(alice, SendMessage{"call me", "bob"});
  const SessionId bob = connect();
  const auto frames = password_login(bob, "bob", kPassword);
  const auto lists = frames_of<RoomsFrame>(frames);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].dms, std::vector<std::string>{"alice"});
  EXPECT_TRUE(lists[0].private_rooms.empty());
  EXPECT_EQ(lists[0].rooms, std::vector<std::string>{"general"});  // a conversation is no room
  service_->receive_text(bob, R"({"action":"history","dm":"Alice","request_id":"h"})");
  settle();
  const auto pages = frames_of<HistoryFrame>(transport_.take(bob));
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].dm, "alice");
  EXPECT_TRUE(pages[0].room.empty());
  EXPECT_EQ(pages[0].request_id, R"("h")");
  ASSERT_EQ(pages[0].lines.size(), 2u);
  EXPECT_EQ(pages[0].lines[0].text, "are you there?");
  send(bob, History{"", 2, 50, "alice"});  // paging back
  const auto older = frames_of<HistoryFrame>(transport_.take(bob));
  ASSERT_EQ(older.size(), 1u);
  ASSERT_EQ(older[0].lines.size(), 1u);
  EXPECT_EQ(older[0].lines[0].id, 1);
}

TEST_F(ChatServiceDmsTest, TheHistoryOfAConversationNotBegunIsEmpty) {
  const auto [alice, token] = device("alice");
  device("bob");
  send(alice, History{"", 0, 50, "bob"});
  const auto pages = frames_of<HistoryFrame>(transport_.take(alice));
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_TRUE(pages[0].lines.empty());
  EXPECT_FALSE(pages[0].more);
  EXPECT_EQ(pages[0].dm, "bob");
}

TEST_F(ChatServiceDmsTest, AConversationIsNeverARoomAnyoneCanListOrJoin) {
  device("bob");
  const auto [alice, token] = device("alice");
  send(alice, SendMessage{"psst", "bob"});
  ASSERT_EQ(store_.rooms().size(), 2u);
  const std::string name = store_.rooms()[1].name;
  EXPECT_TRUE(is_dm_room_name(name));
  EXPECT_EQ(store_.rooms()[1].owner, 0);
  EXPECT_EQ(store_.rooms()[1].members.size(), 2u);
  EXPECT_TRUE(ask(alice, JoinRoom{name}).error);
  EXPECT_TRUE(ask(alice, History{name}).error);
  EXPECT_TRUE(ask(alice, DeleteRoom{name}).error);
  const SessionId back = connect();
  send(back, Resume{token, name, 0});
  EXPECT_EQ(first_message(transport_.take(back)).room, "general");
  const SessionId newcomer = next_id_++;
  service_->connect(newcomer, "192.0.2.1");
  EXPECT_EQ(frames_of<RoomsFrame>(transport_.take(newcomer))[0].rooms, std::vector<std::string>{"general"});
  EXPECT_EQ(ask(alice, CreateRoom{"dm:1:2"}).event, Event::room_created);  // no collision with its name
}

TEST_F(ChatServiceDmsTest, ConversationsAreCappedInAllAndPerAccountAnHour) {
  ServiceOptions options;
  options.max_conversations = 2;
  options.new_conversations_per_hour = 1;
  start(options);
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const auto [carol, carol_token] = device("carol");
  device("dave");
  EXPECT_FALSE(ask(alice, SendMessage{"1", "bob"}).error);
  EXPECT_FALSE(ask(alice, SendMessage{"2", "bob"}).error);  // the same conversation: no new one
  const MessageFrame limited = ask(alice, SendMessage{"3", "carol"});
  EXPECT_EQ(limited.error, ErrorCode::rate_limited);
  EXPECT_GT(limited.retry_after_ms, 0);
  EXPECT_FALSE(ask(bob, SendMessage{"4", "carol"}).error);  // bob's own first new one
  EXPECT_EQ(ask(carol, SendMessage{"5", "dave"}).error, ErrorCode::too_many_rooms);
  EXPECT_FALSE(ask(carol, SendMessage{"6", "bob"}).error);  // an existing one is no new one
}

TEST_F(ChatServiceDmsTest, ConversationsDoNotCountAsRooms) {
  ServiceOptions options;
  options.max_rooms = 2;  // general and one more
  start(options);
  device("bob");
  const auto [alice, token] = device("alice");
  send(alice, SendMessage{"psst", "bob"});
  EXPECT_EQ(ask(alice, CreateRoom{"one"}).event, Event::room_created);
}

TEST_F(ChatServiceDmsTest, BothFirstLinesSentTogetherOpenOneConversation) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  transport_.clear();
  service_->receive_text(alice, encode(ClientFrame{SendMessage{"hi", "bob"}}));
  service_->receive_text(bob, encode(ClientFrame{SendMessage{"hey", "alice"}}));
  settle();
  EXPECT_EQ(store_.rooms().size(), 2u);
  EXPECT_EQ(direct_lines(transport_.take(alice)).size(), 2u);
  EXPECT_EQ(direct_lines(transport_.take(bob)).size(), 2u);
}

TEST_F(ChatServiceDmsTest, AFailedOpeningIsRefusedAndSendsNothing) {
  const auto [alice, token] = device("alice");
  device("bob");
  store_.failing = true;
  EXPECT_EQ(ask(alice, SendMessage{"hi", "bob"}).error, ErrorCode::store_unavailable);
  store_.failing = false;
  EXPECT_FALSE(ask(alice, SendMessage{"again", "bob"}).error);
}

TEST_F(ChatServiceDmsTest, ConversationsSurviveARestart) {
  device("bob");
  const auto [alice, token] = device("alice");
  send(alice, SendMessage{"before the restart", "bob"});
  start();
  const SessionId bob = connect();
  const auto lists = frames_of<RoomsFrame>(password_login(bob, "bob", kPassword));
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].dms, std::vector<std::string>{"alice"});
  send(bob, SendMessage{"after it", "alice"});
  const auto lines = direct_lines(transport_.take(bob));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].id, 2);  // numbered on from the stored conversation
  send(bob, History{"", 0, 50, "alice"});
  const auto pages = frames_of<HistoryFrame>(transport_.take(bob));
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].lines.size(), 2u);
}

// As a store that keeps no members for a conversation would load it: its people come from its name.
TEST_F(ChatServiceDmsTest, RestoredFromAStoredStatePrivateRoomsAndConversationsAreWhole) {
  device("alice");
  device("bob");
  device("carol");
  StoredState state;
  engine_.load(state);
  const AccountId alice_id = state.accounts[0].id;
  const AccountId bob_id = state.accounts[1].id;
  StoredRoom secret{"secret", 0, "alice", 1, "e", true, alice_id, {alice_id, bob_id}};
  StoredRoom conversation{dm_room_name(bob_id, alice_id), 3, "", 2, "e", true, 0, {}};
  state.rooms.push_back(secret);
  state.rooms.push_back(conversation);
  service_ = std::make_unique<ChatService>(Ports{transport_, engine_, clock_, random_, hasher_, passwords_}, ServiceOptions{});
  service_->restore(state);
  const SessionId bob = connect();
  const auto lists = frames_of<RoomsFrame>(password_login(bob, "bob", kPassword));
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].rooms, (std::vector<std::string>{"general", "secret"}));
  EXPECT_EQ(lists[0].private_rooms, std::vector<std::string>{"secret"});
  EXPECT_EQ(lists[0].dms, std::vector<std::string>{"alice"});
  const SessionId carol = connect();
  EXPECT_TRUE(frames_of<RoomsFrame>(password_login(carol, "carol", kPassword)).empty());
  EXPECT_EQ(ask(carol, JoinRoom{"secret"}).error, ErrorCode::no_such_room);
}

}  // namespace
}  // namespace chat
