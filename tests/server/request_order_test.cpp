// One connection's requests take effect in the order they were sent (the seed server handled a
// connection's frames one after another): every pair of actions is sent back to back, with the
// store holding the first one's work in flight, and the replies must come in the same order.
#include <functional>

#include "fakes/core_test.hpp"

namespace chat {
namespace {

using FramePredicate = std::function<bool(const ServerFrame&)>;

struct Action {
  const char* name;
  ClientFrame frame;
  FramePredicate reply;  // recognises the reply that shows the action took effect
};

FramePredicate event(Event wanted, std::string room = "") {
  return [wanted, room](const ServerFrame& frame) {
    const auto* message = std::get_if<MessageFrame>(&frame);
    return message && message->event == wanted && !message->error && (room.empty() || message->room == room);
  };
}

FramePredicate chat_line(const std::string& seed_text) {
  return [seed_text](const ServerFrame& frame) {
    const auto* message = std::get_if<MessageFrame>(&frame);
    return message && message->event == Event::chat && message->message == seed_text;
  };
}

FramePredicate history_of(const std::string& room) {
  return [room](const ServerFrame& frame) {
    const auto* history = std::get_if<HistoryFrame>(&frame);
    return history && history->room == room;
  };
}

// `fresh`: a room name not created yet.
std::vector<Action> actions(int version, const std::string& fresh = "fresh") {
  return {
      {"send_message", SendMessage{"hello"}, chat_line("alice: hello")},
      {"create_room", CreateRoom{fresh}, event(Event::room_created, fresh)},
      {"join_room", JoinRoom{"side"}, event(Event::joined, "side")},
      {"login", Login{"alice", version}, event(Event::logged_in)},
      {"history", History{"general", 0, 10}, history_of("general")},
  };
}

class RequestOrderTest : public CoreTest, public testing::WithParamInterface<int> {
 protected:
  // alice logged in (with the version under test) in general; room "side" exists.
  SessionId alice() {
    const SessionId id = connect();
    send(id, Login{"alice", GetParam()});
    if (!rooms_created_++) send(id, CreateRoom{"side"});
    transport_.take(id);
    return id;
  }

  // Sends every frame back to back (nothing completes in between), then lets the store run.
  std::vector<ServerFrame> pipeline(SessionId id, const std::vector<ClientFrame>& frames) {
    for (const auto& frame : frames) send(id, frame, /*complete=*/false);
    store_.run_completions();
    return transport_.take(id);
  }

  int rooms_created_ = 0;
};

// Each expected reply found after the one before it.
testing::AssertionResult in_order(const std::vector<ServerFrame>& frames, const std::vector<FramePredicate>& replies) {
  auto from = frames.begin();
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const auto found = std::find_if(from, frames.end(), replies[i]);
    if (found == frames.end()) {
      std::string seen;
      for (const auto& frame : frames) seen += encode(frame) + "\n";
      return testing::AssertionFailure() << "reply " << i << " not found after the previous one in:\n" << seen;
    }
    from = found + 1;
  }
  return testing::AssertionSuccess();
}

TEST_P(RequestOrderTest, EveryPairOfActionsTakesEffectInTheOrderSent) {
  const std::size_t count = actions(GetParam()).size();
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < count; ++j) {
      // The store outlives each new core: every pair creates rooms of its own.
      const std::string tag = std::to_string(i) + "-" + std::to_string(j);
      const Action first = actions(GetParam(), "first" + tag)[i];
      const Action second = actions(GetParam(), "second" + tag)[j];
      start();
      const SessionId id = alice();
      const auto frames = pipeline(id, {first.frame, second.frame});
      EXPECT_TRUE(in_order(frames, {first.reply, second.reply})) << first.name << " then " << second.name;
    }
  }
}

TEST_P(RequestOrderTest, SenderGetsItsOwnLineBeforeMovingToAnotherRoom) {
  const SessionId id = alice();
  const auto frames = pipeline(id, {SendMessage{"bye"}, JoinRoom{"side"}});
  EXPECT_TRUE(in_order(frames, {chat_line("alice: bye"), event(Event::joined, "side")}));
}

TEST_P(RequestOrderTest, RoomCreatedThenJoinedAtOnceIsJoined) {
  const SessionId id = alice();
  const auto frames = pipeline(id, {CreateRoom{"new"}, JoinRoom{"new"}, SendMessage{"first"}});
  EXPECT_TRUE(in_order(frames, {event(Event::room_created, "new"), event(Event::joined, "new"), chat_line("alice: first")}));
  EXPECT_EQ(store_.lines("new").size(), 1u);
}

// A refusal answers after the replies of what was sent before it, never ahead of them.
TEST_P(RequestOrderTest, RefusalComesAfterTheLinesSentBeforeIt) {
  const SessionId id = alice();
  const auto frames = pipeline(id, {SendMessage{"one"}, SendMessage{""}, CreateRoom{"side"}, SendMessage{"two"}});
  const auto refused = [](ErrorCode code) {
    return [code](const ServerFrame& frame) {
      const auto* message = std::get_if<MessageFrame>(&frame);
      return message && message->error == code;
    };
  };
  EXPECT_TRUE(in_order(frames, {chat_line("alice: one"), refused(ErrorCode::empty_message),
                                refused(ErrorCode::room_exists), chat_line("alice: two")}));
}

// Lines stream: each accepted line goes to the store at once, not one store round trip each.
TEST_P(RequestOrderTest, AcceptedLinesGoToTheStoreWithoutWaitingForEachOther) {
  const SessionId id = alice();
  for (int i = 0; i < 5; ++i) send(id, SendMessage{"line " + std::to_string(i)}, /*complete=*/false);
  EXPECT_EQ(store_.pending(), 5u);
  store_.run_completions();
  const auto frames = transport_.take(id);
  EXPECT_TRUE(in_order(frames, {chat_line("alice: line 0"), chat_line("alice: line 1"), chat_line("alice: line 2"),
                                chat_line("alice: line 3"), chat_line("alice: line 4")}));
}

// Behind a store request the waiting text is bounded: past 64 KiB the edge is asked to stop
// reading, and reading resumes once the requests have run.
TEST_P(RequestOrderTest, ManyWaitingRequestsPauseReadingUntilTheyRun) {
  const SessionId id = alice();
  send(id, CreateRoom{"slow"}, /*complete=*/false);
  const std::string text(4000, 'x');
  for (int i = 0; i < 20; ++i) send(id, SendMessage{text}, /*complete=*/false);
  EXPECT_TRUE(transport_.reading_paused[id]);
  store_.run_completions();
  EXPECT_FALSE(transport_.reading_paused[id]);
  EXPECT_EQ(store_.lines("general").size(), 20u);
  EXPECT_EQ(transport_.closed.count(id), 0u);
}

TEST_P(RequestOrderTest, AClientThatSendsOnWhilePausedIsClosed) {
  const SessionId id = alice();
  send(id, CreateRoom{"slow"}, /*complete=*/false);
  const std::string text(4000, 'x');
  for (int i = 0; i < 400 && transport_.closed.count(id) == 0; ++i) send(id, SendMessage{text}, /*complete=*/false);
  ASSERT_EQ(transport_.closed.count(id), 1u);
  EXPECT_EQ(transport_.closed[id], 1008);
  store_.run_completions();  // the room's completion finds the session gone: nothing else happens
  EXPECT_EQ(store_.lines("general").size(), 0u);
}

// Another connection is never held up by this one's waiting requests.
TEST_P(RequestOrderTest, OtherConnectionsAreNotHeldUp) {
  const SessionId id = alice();
  const SessionId bob = connect();
  send(id, CreateRoom{"slow"}, /*complete=*/false);
  send(id, JoinRoom{"side"}, /*complete=*/false);
  send(bob, Login{"bob"}, /*complete=*/false);
  const auto frames = transport_.take(bob);
  EXPECT_TRUE(in_order(frames, {event(Event::logged_in)}));
}

INSTANTIATE_TEST_SUITE_P(BothVersions, RequestOrderTest, testing::Values(kSeedVersion, kCurrentVersion),
                         [](const testing::TestParamInfo<int>& info) { return "v" + std::to_string(info.param); });

}  // namespace
}  // namespace chat
