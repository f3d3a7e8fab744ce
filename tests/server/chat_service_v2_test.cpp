// The chat core's protocol v2: durable lines, history, resume, presence; with a store whose
// completions the test releases, to check what happens while a write or read is in flight.
#include <algorithm>

#include "fakes/core_test.hpp"

namespace chat {
namespace {

template <class Frame>
std::vector<Frame> only(const std::vector<ServerFrame>& frames) {
  std::vector<Frame> out;
  for (const auto& frame : frames) {
    if (const auto* f = std::get_if<Frame>(&frame)) out.push_back(*f);
  }
  return out;
}

std::vector<std::int64_t> chat_ids(const std::vector<ServerFrame>& frames) {
  std::vector<std::int64_t> ids;
  for (const auto& frame : frames) {
    if (const auto* history = std::get_if<HistoryFrame>(&frame)) {
      for (const auto& line : history->lines) ids.push_back(line.id);
    } else if (const auto* message = std::get_if<MessageFrame>(&frame)) {
      if (message->event == Event::chat) ids.push_back(message->id);
    }
  }
  return ids;
}

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> ids;
  for (auto id = first; id <= last; ++id) ids.push_back(id);
  return ids;
}

class ChatServiceV2Test : public CoreTest {
 protected:
  // A new core on the same store, as after a server restart.
  void restart() { start(); }
  // Lines at 20 per second, the sustained rate the default limits allow.
  void say(SessionId id, int count, const std::string& prefix = "line ") {
    for (int i = 0; i < count; ++i) {
      send(id, SendMessage{prefix + std::to_string(i)});
      clock_.now += 50;
    }
  }
};

TEST_F(ChatServiceV2Test, LoginGivesTokenMembersAndHistory) {
  const auto [alice, unused] = v2_login("alice");
  say(alice, 3);
  const SessionId bob = connect();
  send(bob, Login{"bob", 2});
  const auto frames = transport_.take(bob);
  const auto acks = only<MessageFrame>(frames);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].event, Event::logged_in);
  EXPECT_EQ(acks[0].version, 2);
  EXPECT_EQ(acks[0].token.size(), 16u + 1 + 32);  // 64-bit id, 128-bit secret, in hex
  const auto members = only<MembersFrame>(frames);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].users, (std::vector<std::string>{"alice", "bob"}));
  const auto history = only<HistoryFrame>(frames);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].room, "general");
  EXPECT_EQ(chat_ids(frames), range(1, 3));
  EXPECT_FALSE(history[0].more);
  // Alice hears that bob arrived.
  const auto presence = only<PresenceFrame>(transport_.take(alice));
  ASSERT_EQ(presence.size(), 1u);
  EXPECT_EQ(presence[0].user, "bob");
  EXPECT_TRUE(presence[0].joined);
}

TEST_F(ChatServiceV2Test, LoginAckComesFirstAndLinesInFlightAreNotDuplicated) {
  const SessionId alice = logged_in("alice");
  say(alice, 2);
  const SessionId bob = connect();
  send(alice, SendMessage{"before"}, false);
  send(bob, Login{"bob", 2}, false);
  send(alice, SendMessage{"after"}, false);
  store_.run_completions();
  const auto frames = transport_.take(bob);
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(std::get<MessageFrame>(frames[0]).event, Event::logged_in);
  EXPECT_TRUE(std::holds_alternative<MembersFrame>(frames[1]));
  EXPECT_TRUE(std::holds_alternative<HistoryFrame>(frames[2]));
  EXPECT_EQ(chat_ids(frames), range(1, 4));
}

TEST_F(ChatServiceV2Test, LineIsDeliveredOnlyOnceStored) {
  const auto [alice, t1] = v2_login("alice");
  const SessionId seed = logged_in("seed");
  EXPECT_EQ(only<PresenceFrame>(transport_.take(alice)).size(), 1u);  // seed clients are present too
  send(alice, SendMessage{"hello"}, /*complete=*/false);
  EXPECT_TRUE(transport_.take(alice).empty());
  EXPECT_TRUE(transport_.take(seed).empty());
  EXPECT_TRUE(store_.lines("general").empty());
  store_.run_completions();
  ASSERT_EQ(store_.lines("general").size(), 1u);
  const auto to_alice = only<MessageFrame>(transport_.take(alice));
  ASSERT_EQ(to_alice.size(), 1u);
  EXPECT_EQ(to_alice[0].id, 1);
  EXPECT_EQ(to_alice[0].ts, clock_.now);
  EXPECT_EQ(to_alice[0].chat_text(), "hello");
  EXPECT_TRUE(to_alice[0].has_text);
  // The seed client gets the seed frame, byte for byte, in the same broadcast.
  ASSERT_EQ(transport_.raw(seed).size(), 1u);
  EXPECT_EQ(*transport_.raw(seed)[0],
            R"({"action":"message","message":"alice: hello","event":"chat","user":"alice","room":"general"})");
}

TEST_F(ChatServiceV2Test, StoreFailureRefusesTheLineAndDeliversNothing) {
  const auto [alice, t1] = v2_login("alice");
  const auto [bob, t2] = v2_login("bob");
  transport_.take(alice);
  store_.failing = true;
  send(alice, SendMessage{"lost?"});
  const auto refusals = only<MessageFrame>(transport_.take(alice));
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].error, ErrorCode::store_unavailable);
  EXPECT_TRUE(transport_.take(bob).empty());
  store_.failing = false;
  send(alice, SendMessage{"back"});
  const auto lines = only<MessageFrame>(transport_.take(bob));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].chat_text(), "back");
  EXPECT_EQ(lines[0].id, 2);  // the failed line's id is never reused
}

TEST_F(ChatServiceV2Test, UnreadableHistoryEndsTheSessionToBeResumedInsteadOfLeavingAGap) {
  const auto [alice, token] = v2_login("alice");
  send(alice, CreateRoom{"jeux"});
  transport_.take(alice);
  store_.failing = true;
  send(alice, JoinRoom{"jeux"});
  const auto frames = transport_.take(alice);
  EXPECT_TRUE(only<HistoryFrame>(frames).empty());
  const auto refusals = only<MessageFrame>(frames);
  ASSERT_FALSE(refusals.empty());
  EXPECT_EQ(refusals.back().error, ErrorCode::store_unavailable);
  EXPECT_EQ(transport_.closed[alice], 1013);
  store_.failing = false;
  const SessionId again = connect();
  send(again, Resume{token, "jeux", 0});
  const auto acks = only<MessageFrame>(transport_.take(again));
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks[0].event, Event::resumed);
}

TEST_F(ChatServiceV2Test, BusyStoreRefusesInsteadOfQueueingWithoutBound) {
  ServiceOptions options;
  options.max_store_backlog = 3;
  service_ = std::make_unique<ChatService>(Ports{transport_, engine_, clock_, random_, hasher_, passwords_}, options);
  const SessionId alice = logged_in("alice");
  const SessionId bob = logged_in("bob");
  for (int i = 0; i < 3; ++i) send(alice, SendMessage{"x"}, false);
  for (int i = 0; i < 2; ++i) send(bob, SendMessage{"y"}, false);
  const auto frames = only<MessageFrame>(transport_.take(bob));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].error, ErrorCode::server_busy);
  EXPECT_EQ(frames[1].error, ErrorCode::server_busy);
  // A line of alice's own pipeline waits for her earlier ones rather than being refused.
  send(alice, SendMessage{"z"}, false);
  EXPECT_TRUE(transport_.take(alice).empty());
  store_.run_completions();
  EXPECT_EQ(store_.lines("general").size(), 4u);
}

TEST_F(ChatServiceV2Test, JoinSendsHistoryThenLiveWithoutGapOrDuplicate) {
  const auto [alice, t1] = v2_login("alice");
  send(alice, CreateRoom{"jeux"});
  send(alice, JoinRoom{"jeux"});
  say(alice, 60);
  const auto [bob, t2] = v2_login("bob");
  // Lines in flight around bob's join: 3 committed before his history read, 2 after.
  for (int i = 0; i < 3; ++i) send(alice, SendMessage{"before"}, false);
  send(bob, JoinRoom{"jeux"}, false);
  for (int i = 0; i < 2; ++i) send(alice, SendMessage{"after"}, false);
  store_.run_completions();
  const auto frames = transport_.take(bob);
  const auto history = only<HistoryFrame>(frames);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].lines.size(), 50u);
  EXPECT_TRUE(history[0].more);
  EXPECT_EQ(chat_ids(frames), range(14, 65));
}

TEST_F(ChatServiceV2Test, PagingBackReachesTheFirstLineExactlyOnce) {
  const auto [alice, t1] = v2_login("alice");
  say(alice, 1000);
  std::vector<std::int64_t> seen;
  std::int64_t before = 0;
  bool more = true;
  while (more) {
    send(alice, History{"general", before, 200});
    const auto pages = only<HistoryFrame>(transport_.take(alice));
    ASSERT_EQ(pages.size(), 1u);
    ASSERT_FALSE(pages[0].lines.empty());
    for (auto it = pages[0].lines.rbegin(); it != pages[0].lines.rend(); ++it) seen.push_back(it->id);
    before = pages[0].lines.front().id;
    more = pages[0].more;
  }
  std::reverse(seen.begin(), seen.end());
  EXPECT_EQ(seen, range(1, 1000));
}

TEST_F(ChatServiceV2Test, HistoryFramesStayUnderTheClientsFrameLimit) {
  const auto [alice, t1] = v2_login("alice");
  for (int i = 0; i < 300; ++i) {  // 300 lines of 4 KiB, slowly enough for the byte rate limit
    send(alice, SendMessage{std::string(4000, 'x')});
    clock_.now += 200;
  }
  transport_.take(alice);
  send(alice, History{"general", 0, 200});
  const auto pages = only<HistoryFrame>(transport_.take(alice));
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_LT(pages[0].lines.size(), 200u);
  EXPECT_EQ(pages[0].lines.back().id, 300);  // the newest kept
  EXPECT_TRUE(pages[0].more);
  // A resume that missed all of them still gets every line, in frames under the limit.
  const auto [bob, token] = v2_login("bob");
  service_->disconnect(bob);
  const SessionId again = connect();
  send(again, Resume{token, "general", 1});
  std::size_t largest = 0;
  for (const auto& raw : transport_.raw(again)) largest = std::max(largest, raw->size());
  EXPECT_LT(largest, Limits{}.max_frame_bytes);
  EXPECT_EQ(chat_ids(transport_.take(again)), range(2, 300));
}

TEST_F(ChatServiceV2Test, HistoryEchoesRequestIdAndRefusesUnknownRooms) {
  const auto [alice, t1] = v2_login("alice");
  service_->receive_text(alice, R"({"action":"history","room":"nowhere","request_id":"q1"})");
  store_.run_completions();
  const auto refusals = only<MessageFrame>(transport_.take(alice));
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].error, ErrorCode::no_such_room);
  EXPECT_EQ(refusals[0].request_id, R"("q1")");
}

TEST_F(ChatServiceV2Test, ResumeAfterDropGivesExactlyTheMissedLines) {
  const auto [alice, token] = v2_login("alice");
  const auto [bob, t2] = v2_login("bob");
  say(bob, 5);
  service_->disconnect(alice);
  say(bob, 7, "missed ");
  const SessionId again = connect();
  send(again, Resume{token, "general", 5});
  const auto frames = transport_.take(again);
  const auto acks = only<MessageFrame>(frames);
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks[0].event, Event::resumed);
  EXPECT_EQ(acks[0].user, "alice");
  EXPECT_EQ(acks[0].room, "general");
  EXPECT_EQ(chat_ids(frames), range(6, 12));
  say(bob, 1);
  EXPECT_EQ(chat_ids(transport_.take(again)), std::vector<std::int64_t>{13});
}

TEST_F(ChatServiceV2Test, ResumeIntoAMissingRoomGetsGeneralsLatestLines) {
  const auto [alice, token] = v2_login("alice");
  say(alice, 3);
  service_->disconnect(alice);
  const SessionId again = connect();
  send(again, Resume{token, "gone", 2});
  const auto frames = transport_.take(again);
  EXPECT_EQ(only<MessageFrame>(frames)[0].room, "general");
  EXPECT_EQ(chat_ids(frames), range(1, 3));  // not "after 2": that id was counted in another room
}

TEST_F(ChatServiceV2Test, ResumeCatchesUpInPagesWhenFarBehind) {
  const auto [alice, token] = v2_login("alice");
  const auto [bob, t2] = v2_login("bob");
  service_->disconnect(alice);
  say(bob, 1234);
  const SessionId again = connect();
  send(again, Resume{token, "general", 0 + 1});
  const auto frames = transport_.take(again);
  EXPECT_EQ(only<HistoryFrame>(frames).size(), 3u);
  EXPECT_EQ(chat_ids(frames), range(2, 1234));
}

TEST_F(ChatServiceV2Test, NameIsReservedForTheTokenDuringGrace) {
  const auto [alice, token] = v2_login("alice");
  service_->disconnect(alice);
  const SessionId stranger = connect();
  send(stranger, Login{"alice"});
  EXPECT_EQ(only<MessageFrame>(transport_.take(stranger))[0].error, ErrorCode::name_taken);
  send(stranger, Resume{token.substr(0, 17) + std::string(32, '0'), "general", 0});
  EXPECT_EQ(only<MessageFrame>(transport_.take(stranger))[0].error, ErrorCode::bad_token);
  send(stranger, Resume{"garbage", "general", 0});
  EXPECT_EQ(only<MessageFrame>(transport_.take(stranger))[0].error, ErrorCode::bad_token);
  clock_.now += 60'001;
  send(stranger, Login{"alice"});
  EXPECT_EQ(only<MessageFrame>(transport_.take(stranger))[0].event, Event::logged_in);
}

TEST_F(ChatServiceV2Test, ResumeWhileTheOldConnectionLingersReplacesIt) {
  const auto [alice, token] = v2_login("alice");
  const SessionId again = connect();
  send(again, Resume{token, "general", 0});
  EXPECT_EQ(transport_.closed.count(alice), 1u);
  EXPECT_EQ(only<MessageFrame>(transport_.take(again))[0].event, Event::resumed);
  service_->disconnect(alice);  // the edge reports the old connection's close later: no effect
  const SessionId stranger = connect();
  send(stranger, Login{"alice"});
  EXPECT_EQ(only<MessageFrame>(transport_.take(stranger))[0].error, ErrorCode::name_taken);
}

TEST_F(ChatServiceV2Test, EverythingSurvivesARestart) {
  const auto [alice, token] = v2_login("alice");
  send(alice, CreateRoom{"jeux"});
  send(alice, JoinRoom{"jeux"});
  say(alice, 4);
  restart();
  const SessionId fresh = connect();
  send(fresh, Resume{token, "jeux", 2});
  const auto frames = transport_.take(fresh);
  EXPECT_EQ(only<MessageFrame>(frames)[0].user, "alice");
  EXPECT_EQ(chat_ids(frames), range(3, 4));
  send(fresh, SendMessage{"after restart"});
  EXPECT_EQ(chat_ids(transport_.take(fresh)), std::vector<std::int64_t>{5});
  service_->connect(999, "192.0.2.1");
  EXPECT_EQ(std::get<RoomsFrame>(transport_.take(999)[0]).rooms, (std::vector<std::string>{"general", "jeux"}));
}

TEST_F(ChatServiceV2Test, PresenceFollowsJoinsLeavesAndDrops) {
  const auto [alice, t1] = v2_login("alice");
  const auto [bob, t2] = v2_login("bob");
  send(alice, CreateRoom{"jeux"});
  transport_.take(alice);
  transport_.take(bob);
  send(bob, JoinRoom{"jeux"});
  const auto left = only<PresenceFrame>(transport_.take(alice));
  ASSERT_EQ(left.size(), 1u);
  EXPECT_FALSE(left[0].joined);
  send(alice, JoinRoom{"jeux"});
  const auto members = only<MembersFrame>(transport_.take(alice));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].users.size(), 2u);
  EXPECT_TRUE(only<PresenceFrame>(transport_.take(bob))[0].joined);
  service_->disconnect(alice);
  const auto dropped = only<PresenceFrame>(transport_.take(bob));
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].user, "alice");
  EXPECT_FALSE(dropped[0].joined);
}

// Without it the others' member lists would keep the old name and never show the new one.
TEST_F(ChatServiceV2Test, RenameIsAnnouncedAsTheOldNameLeavingAndTheNewOneJoining) {
  const auto [alice, t1] = v2_login("alice");
  const auto [bob, t2] = v2_login("bob");
  transport_.take(alice);
  send(bob, Login{"robert", 2});
  const auto presence = only<PresenceFrame>(transport_.take(alice));
  ASSERT_EQ(presence.size(), 2u);
  EXPECT_EQ(presence[0].user, "bob");
  EXPECT_FALSE(presence[0].joined);
  EXPECT_EQ(presence[1].user, "robert");
  EXPECT_TRUE(presence[1].joined);
  send(bob, Login{"robert", 2});  // the same name again: nothing changes, nothing announced
  EXPECT_TRUE(only<PresenceFrame>(transport_.take(alice)).empty());
}

TEST_F(ChatServiceV2Test, RoomIsCreatedOnlyOnceStored) {
  const auto [alice, t1] = v2_login("alice");
  const SessionId bob = logged_in("bob");
  send(alice, CreateRoom{"jeux"}, false);
  send(bob, CreateRoom{"jeux"}, false);  // in flight: already refused
  ASSERT_EQ(only<MessageFrame>(transport_.take(bob)).size(), 1u);
  send(bob, JoinRoom{"jeux"}, false);  // not there until stored
  const auto refused = only<MessageFrame>(transport_.take(bob));
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].error, ErrorCode::no_such_room);
  store_.run_completions();
  EXPECT_EQ(only<RoomsFrame>(transport_.take(bob)).size(), 1u);
}

}  // namespace
}  // namespace chat
