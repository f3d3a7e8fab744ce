// The core against an engine that answers and delivers in the worst orders a cluster can produce:
// every member still gets each line once, in order, with no gap between history and live lines,
// and a sender gets its own line before anything it asked afterwards.
#include <gtest/gtest.h>

#include <memory>

#include "fakes/fake_clock.hpp"
#include "fakes/fake_hasher.hpp"
#include "fakes/fake_password_hasher.hpp"
#include "fakes/fake_transport.hpp"
#include "fakes/scripted_engine.hpp"
#include "server/core/chat_service.hpp"

namespace chat {
namespace {

class EngineInboxTest : public testing::Test {
 protected:
  EngineInboxTest() {
    service_ = std::make_unique<ChatService>(Ports{transport_, engine_, clock_, random_, hasher_, passwords_}, ServiceOptions{});
    StoredState state;
    engine_.load(state);
    service_->restore(state);
  }

  SessionId login(const std::string& name, int version) {
    const SessionId id = next_id_++;
    service_->connect(id, "192.0.2.1");
    service_->receive_text(id, encode(ClientFrame{Login{name, version}}));
    settle();
    transport_.take(id);
    return id;
  }
  void send(SessionId id, const ClientFrame& frame) { service_->receive_text(id, encode(frame)); }
  // Everything the engine owes, answered and delivered in order, until nothing is left.
  void settle() {
    while (engine_.pending() > 0 || !engine_.outbox().empty()) {
      engine_.deliver_all();
      engine_.answer();
      engine_.run_reads();
    }
  }
  // The chat line texts a session received, live or in history frames, in order.
  std::vector<std::string> texts(SessionId id) {
    std::vector<std::string> out;
    for (const auto& frame : transport_.take(id)) {
      if (const auto* history = std::get_if<HistoryFrame>(&frame)) {
        for (const auto& line : history->lines) out.push_back(line.text);
      } else if (const auto* message = std::get_if<MessageFrame>(&frame)) {
        // v2 lines carry their text; a seed client's line is its "USER: TEXT" message.
        if (message->has_text) out.push_back(std::string(message->chat_text()));
        else if (message->event == Event::chat || (message->event == Event::none && !message->error)) out.push_back(message->message);
      }
    }
    return out;
  }
  using Texts = std::vector<std::string>;

  FakeTransport transport_;
  ScriptedEngine engine_;
  FakeClock clock_;
  CountingRandom random_;
  FakeHasher hasher_;
  FakePasswordHasher passwords_;
  std::unique_ptr<ChatService> service_;
  SessionId next_id_ = 1;
};

TEST_F(EngineInboxTest, LinesReachMembersOnlyFromTheInbox) {
  const SessionId alice = login("alice", 2);
  const SessionId bob = login("bob", 1);
  send(alice, SendMessage{"hello"});
  engine_.answer();  // stored and answered, but not yet back through the inbox
  EXPECT_TRUE(texts(bob).empty());
  EXPECT_TRUE(texts(alice).empty());
  engine_.deliver_all();
  EXPECT_EQ(texts(bob), (Texts{"alice: hello"}));
  EXPECT_EQ(texts(alice), (Texts{"hello"}));
}

TEST_F(EngineInboxTest, LinesFromOtherNodesAreDelivered) {
  const SessionId alice = login("alice", 2);
  engine_.publish_from_elsewhere("general", "carol", "from node B");
  engine_.deliver_all();
  EXPECT_EQ(texts(alice), (Texts{"from node B"}));
}

TEST_F(EngineInboxTest, ALineLostByPubSubIsReadFromHistoryInItsPlace) {
  const SessionId bob = login("bob", 1);
  for (const char* text : {"one", "two", "three"}) engine_.publish_from_elsewhere("general", "carol", text);
  engine_.deliver({0, 2});  // "two" never arrives
  EXPECT_EQ(texts(bob), (Texts{"carol: one"}));
  engine_.run_reads();
  EXPECT_EQ(texts(bob), (Texts{"carol: two", "carol: three"}));
}

TEST_F(EngineInboxTest, OutOfOrderAndRepeatedDeliveriesComeOutOnceInOrder) {
  const SessionId bob = login("bob", 1);
  for (const char* text : {"one", "two", "three", "four"}) engine_.publish_from_elsewhere("general", "carol", text);
  engine_.deliver({1, 0, 0, 3, 2, 1});
  engine_.run_reads();
  settle();
  EXPECT_EQ(texts(bob), (Texts{"carol: one", "carol: two", "carol: three", "carol: four"}));
}

TEST_F(EngineInboxTest, LinesMissedWhileUnsubscribedArriveOnResubscribe) {
  const SessionId bob = login("bob", 1);
  engine_.publish_from_elsewhere("general", "carol", "while the link was down");
  engine_.deliver({});  // lost with the link
  EXPECT_TRUE(texts(bob).empty());
  engine_.resubscribed("general");
  engine_.run_reads();
  EXPECT_EQ(texts(bob), (Texts{"carol: while the link was down"}));
}

// The publish answer may come before the line comes back through the inbox (two Redis links):
// the sender's next request must still wait, or a seed client that sends a line and then joins
// another room would never see its own line.
TEST_F(EngineInboxTest, TheSendersNextRequestWaitsForItsOwnLine) {
  clock_.now += 1;
  const SessionId alice = login("alice", 1);
  service_->receive_text(alice, encode(ClientFrame{CreateRoom{"jeux"}}));
  settle();
  transport_.take(alice);
  send(alice, SendMessage{"bye"});
  send(alice, JoinRoom{"jeux"});
  engine_.answer();
  EXPECT_TRUE(transport_.take(alice).empty());  // the join waits for the echo
  engine_.deliver_all();
  const auto frames = transport_.take(alice);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<MessageFrame>(frames[0]).message, "alice: bye");
  EXPECT_EQ(std::get<MessageFrame>(frames[1]).event, Event::joined);
}

// A v2 join reads history while live lines keep arriving; whichever comes first, the member
// sees every line once.
TEST_F(EngineInboxTest, HistoryAndLiveLinesNeitherOverlapNorLeaveAGap) {
  const SessionId alice = login("alice", 2);
  engine_.publish_from_elsewhere("general", "carol", "before");
  engine_.deliver_all();
  transport_.take(alice);
  send(alice, JoinRoom{"general"});  // asks for the latest page
  engine_.publish_from_elsewhere("general", "carol", "during 1");
  engine_.publish_from_elsewhere("general", "carol", "during 2");
  engine_.deliver({0});      // "during 1" arrives live before the read runs: held
  engine_.run_reads();       // the page holds before, during 1 and during 2
  engine_.deliver_all();     // nothing left to deliver ("during 2" was lost by pub/sub)
  engine_.run_reads();       // the room's feed fills the hole: a repeat for alice
  EXPECT_EQ(texts(alice), (Texts{"before", "during 1", "during 2"}));
}

// Another node's lines reach Redis's stream before they reach this node's pub/sub link: the
// page can hold lines the room's feed has not delivered yet, which must not come again after it.
TEST_F(EngineInboxTest, AHistoryPageAheadOfTheRoomsFeedIsNotRepeated) {
  const SessionId alice = login("alice", 2);
  send(alice, JoinRoom{"general"});
  engine_.publish_from_elsewhere("general", "carol", "one");
  engine_.publish_from_elsewhere("general", "carol", "two");
  engine_.run_reads();  // the page holds one and two; the feed has delivered neither
  engine_.publish_from_elsewhere("general", "carol", "three");
  engine_.deliver_all();  // now the feed delivers one, two and three
  EXPECT_EQ(texts(alice), (Texts{"one", "two", "three"}));
}

TEST_F(EngineInboxTest, ARefusedPublishIsRefusedToTheSenderAlone) {
  const SessionId alice = login("alice", 1);
  const SessionId bob = login("bob", 1);
  engine_.refuse_publishes = true;
  send(alice, SendMessage{"lost"});
  settle();
  const auto frames = transport_.take(alice);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<MessageFrame>(frames[0]).error, ErrorCode::store_unavailable);
  EXPECT_TRUE(transport_.take(bob).empty());
}

TEST_F(EngineInboxTest, ANewEpochDeliversTheNewNumberingFromItsStart) {
  const SessionId bob = login("bob", 1);
  engine_.publish_from_elsewhere("general", "carol", "old 1");
  engine_.publish_from_elsewhere("general", "carol", "old 2");
  engine_.deliver_all();
  engine_.restart_numbering("general", "e2");
  engine_.publish_from_elsewhere("general", "carol", "new 1");
  engine_.publish_from_elsewhere("general", "carol", "new 2");
  engine_.deliver({1});  // new 1 lost: the feed must not take new 2 for a repeat of old 2
  engine_.run_reads();
  EXPECT_EQ(texts(bob), (Texts{"carol: old 1", "carol: old 2", "carol: new 1", "carol: new 2"}));
}

TEST_F(EngineInboxTest, RoomsCreatedOnOtherNodesAreListedHere) {
  const SessionId bob = login("bob", 1);
  engine_.create_room(StoredRoom{"jeux", 0, "carol", 1, ""}, [](RoomOutcome) {});
  engine_.answer();
  const auto frames = transport_.take(bob);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<RoomsFrame>(frames[0]).rooms, (std::vector<std::string>{"general", "jeux"}));
}

}  // namespace
}  // namespace chat
