// The chat core, driven without sockets: every rule of the seed contract and every refusal.
#include "fakes/core_test.hpp"

namespace chat {
namespace {

using ChatServiceTest = CoreTest;

TEST_F(ChatServiceTest, ConnectSendsRoomListWithGeneralFirst) {
  service_->connect(7, "192.0.2.1");
  const auto frames = transport_.take(7);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<RoomsFrame>(frames[0]).rooms, std::vector<std::string>{"general"});
}

TEST_F(ChatServiceTest, LoginIsWelcomedWithEventAndName) {
  const SessionId id = connect();
  send(id, Login{"alice"});
  const auto reply = only_message(id);
  EXPECT_EQ(reply.message, "Welcome, alice!");
  EXPECT_EQ(reply.event, Event::logged_in);
  EXPECT_EQ(reply.user, "alice");
  EXPECT_FALSE(reply.error);
}

TEST_F(ChatServiceTest, TakenNameIsRefusedThenAnotherWorks) {
  logged_in("alice");
  const SessionId bob = connect();
  send(bob, Login{"alice"});
  EXPECT_EQ(refusal_of(bob), ErrorCode::name_taken);
  send(bob, Login{"bob"});
  EXPECT_EQ(only_message(bob).event, Event::logged_in);
}

TEST_F(ChatServiceTest, InvalidNamesAreRefused) {
  const SessionId id = connect();
  for (const std::string& name : std::vector<std::string>{"", " alice", "alice ", std::string(33, 'a'), "a\nb"}) {
    send(id, Login{name});
    EXPECT_EQ(refusal_of(id), ErrorCode::invalid_name) << name;
  }
}

TEST_F(ChatServiceTest, RenameFreesTheOldName) {
  const SessionId alice = logged_in("alice");
  send(alice, Login{"alicia"});
  EXPECT_EQ(only_message(alice).user, "alicia");
  const SessionId other = connect();
  send(other, Login{"alice"});
  EXPECT_EQ(only_message(other).event, Event::logged_in);
}

TEST_F(ChatServiceTest, NothingButLoginBeforeLoginAndNoEffect) {
  const SessionId watcher = logged_in("watcher");
  const SessionId anon = connect();
  send(anon, SendMessage{"hello"});
  EXPECT_EQ(refusal_of(anon), ErrorCode::not_logged_in);
  send(anon, CreateRoom{"secret"});
  EXPECT_EQ(refusal_of(anon), ErrorCode::not_logged_in);
  send(anon, JoinRoom{"general"});
  EXPECT_EQ(refusal_of(anon), ErrorCode::not_logged_in);
  EXPECT_TRUE(transport_.take(watcher).empty());
  // The room was not created: the watcher can create it.
  send(watcher, CreateRoom{"secret"});
  EXPECT_EQ(transport_.take(watcher).size(), 2u);
}

TEST_F(ChatServiceTest, ChatLineGoesToEveryMemberOnceSenderIncluded) {
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  const SessionId anon = connect();  // in general too, not logged in: still a member
  send(alice, SendMessage{"salut 👋"});
  for (const SessionId id : {alice, bob, anon}) {
    const auto line = only_message(id);
    EXPECT_EQ(line.message, "alice: salut 👋");
    EXPECT_EQ(line.event, Event::chat);
    EXPECT_EQ(line.user, "alice");
    EXPECT_EQ(line.room, "general");
  }
}

TEST_F(ChatServiceTest, BroadcastIsEncodedOnceAndShared) {
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  send(alice, SendMessage{"x"});
  ASSERT_EQ(transport_.raw(alice).size(), 1u);
  EXPECT_EQ(transport_.raw(alice)[0].get(), transport_.raw(bob)[0].get());
}

TEST_F(ChatServiceTest, RoomsIsolateChat) {
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  send(alice, CreateRoom{"jeux"});
  transport_.take(alice);
  transport_.take(bob);
  send(bob, JoinRoom{"jeux"});
  const auto joined = only_message(bob);
  EXPECT_EQ(joined.event, Event::joined);
  EXPECT_EQ(joined.room, "jeux");
  send(bob, SendMessage{"in jeux"});
  EXPECT_EQ(only_message(bob).room, "jeux");
  EXPECT_TRUE(transport_.take(alice).empty());
  send(alice, SendMessage{"in general"});
  EXPECT_EQ(only_message(alice).room, "general");
  EXPECT_TRUE(transport_.take(bob).empty());
}

TEST_F(ChatServiceTest, CreateRoomAcksCreatorThenListsToEveryone) {
  const SessionId alice = logged_in("alice");
  const SessionId anon = connect();
  send(alice, CreateRoom{"café"});
  const auto frames = transport_.take(alice);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<MessageFrame>(frames[0]).event, Event::room_created);
  EXPECT_EQ(std::get<RoomsFrame>(frames[1]).rooms, (std::vector<std::string>{"general", "café"}));
  const auto anon_frames = transport_.take(anon);
  ASSERT_EQ(anon_frames.size(), 1u);
  EXPECT_EQ(std::get<RoomsFrame>(anon_frames[0]).rooms, (std::vector<std::string>{"general", "café"}));
  // The creator stayed in general.
  send(alice, SendMessage{"still here"});
  EXPECT_EQ(only_message(alice).room, "general");
  // A newcomer sees the new list on connect.
  service_->connect(1000, "192.0.2.1");
  EXPECT_EQ(std::get<RoomsFrame>(transport_.take(1000)[0]).rooms.size(), 2u);
}

TEST_F(ChatServiceTest, RoomRefusals) {
  const SessionId alice = logged_in("alice");
  send(alice, CreateRoom{"general"});
  EXPECT_EQ(refusal_of(alice), ErrorCode::room_exists);
  send(alice, CreateRoom{""});
  EXPECT_EQ(refusal_of(alice), ErrorCode::invalid_room);
  send(alice, JoinRoom{"nowhere"});
  EXPECT_EQ(refusal_of(alice), ErrorCode::no_such_room);
  send(alice, JoinRoom{" general"});
  EXPECT_EQ(refusal_of(alice), ErrorCode::invalid_room);
  send(alice, SendMessage{"still in general"});
  EXPECT_EQ(only_message(alice).room, "general");
}

TEST_F(ChatServiceTest, JoiningTheCurrentRoomIsAcknowledged) {
  const SessionId alice = logged_in("alice");
  send(alice, JoinRoom{"general"});
  EXPECT_EQ(only_message(alice).event, Event::joined);
  send(alice, SendMessage{"once"});
  EXPECT_EQ(transport_.take(alice).size(), 1u);
}

TEST_F(ChatServiceTest, TextRefusals) {
  const SessionId alice = logged_in("alice");
  send(alice, SendMessage{""});
  EXPECT_EQ(refusal_of(alice), ErrorCode::empty_message);
  send(alice, SendMessage{"   "});
  EXPECT_EQ(refusal_of(alice), ErrorCode::empty_message);
  send(alice, SendMessage{std::string(65536, 'x')});
  EXPECT_EQ(refusal_of(alice), ErrorCode::message_too_long);
  send(alice, SendMessage{"bell\x07"});
  EXPECT_EQ(refusal_of(alice), ErrorCode::invalid_message);
}

TEST_F(ChatServiceTest, BadFramesAreRefusedToTheSenderOnly) {
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  const std::pair<std::string, ErrorCode> cases[] = {
      {"not json", ErrorCode::bad_json},
      {"[1]", ErrorCode::not_object},
      {R"({"action":"login"})", ErrorCode::missing_field},
      {R"({"action":"send_message","message":3})", ErrorCode::wrong_type},
      {R"({"action":"dance"})", ErrorCode::unknown_action},
      {"{\"action\":\"send_message\",\"message\":\"\xff\"}", ErrorCode::invalid_utf8},
  };
  for (const auto& [text, code] : cases) {
    service_->receive_text(alice, text);
    store_.run_completions();
    EXPECT_EQ(refusal_of(alice), code) << text;
  }
  service_->receive_binary(alice);
  store_.run_completions();
  EXPECT_EQ(refusal_of(alice), ErrorCode::binary_frame);
  EXPECT_TRUE(transport_.take(bob).empty());
  send(alice, SendMessage{"still served"});
  EXPECT_EQ(only_message(bob).message, "alice: still served");
}

TEST_F(ChatServiceTest, DisconnectFreesNameAndLeavesRoom) {
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  service_->disconnect(alice);
  send(bob, SendMessage{"anyone?"});
  EXPECT_TRUE(transport_.take(alice).empty());
  const SessionId again = connect();
  send(again, Login{"alice"});
  EXPECT_EQ(only_message(again).event, Event::logged_in);
  EXPECT_EQ(service_->session_count(), 2u);
}

TEST_F(ChatServiceTest, EventsForUnknownSessionsAreIgnored) {
  service_->receive_text(424242, encode(ClientFrame{Login{"ghost"}}));
  service_->receive_binary(424242);
  service_->disconnect(424242);
  EXPECT_TRUE(transport_.take(424242).empty());
  EXPECT_EQ(service_->session_count(), 0u);
}

TEST_F(ChatServiceTest, LinesFromOneSenderKeepTheirOrder) {
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  for (int i = 0; i < 200; ++i) send(alice, SendMessage{std::to_string(i)});
  const auto frames = transport_.take(bob);
  ASSERT_EQ(frames.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(std::get<MessageFrame>(frames[i]).chat_text(), std::to_string(i));
  }
}

}  // namespace
}  // namespace chat
