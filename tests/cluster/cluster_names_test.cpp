// Names and presence span the cluster: a name (or a look-alike of it) held on one node is refused
// on the others, the 60 s reservation of a dropped v2 user holds on every node, members and
// joined/left cover every node's people, and a node killed with -9 loses its names and its members
// are reported as left within the stated time (docs/PROTOCOL.md: 15 s).
#include <iostream>
#include <map>
#include <set>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using namespace std::chrono_literals;
using chat::ErrorCode;

// The time PROTOCOL.md states for a dead node's names and members, plus room for a loaded machine
// (a CPU hog on every core delays the nodes' timers, not Redis's expiry, by well under 5 s).
constexpr milliseconds kDeadNodeBound = 15s + 5s;

const char* const kFullWidthAlice = "\xEF\xBC\xA1\xEF\xBC\xAC\xEF\xBC\xA9\xEF\xBC\xA3\xEF\xBC\xA5";  // ＡＬＩＣＥ
const char* const kDotBelowAlice = "\xE1\xBA\xA1lice";                                                // ạlice
const char* const kArmenianOscar = "\xD6\x85scar";                                                    // օscar

std::set<std::string> sorted_users(const chat::MembersFrame& members) {
  return {members.users.begin(), members.users.end()};
}

using ClusterNamesTest = ClusterTest;

TEST_F(ClusterNamesTest, ANameTakenOnAIsRefusedOnTheOtherNodesWithItsLookAlikes) {
  auto alice = connect_as(0, "alice");
  auto oscar = connect_v2(0, "oscar");
  for (int index : {1, 2}) {
    SCOPED_TRACE("node " + std::to_string(index));
    auto mallory = connect(index);
    for (const std::string name : {"alice", "ALICE", "Alice", kFullWidthAlice, kDotBelowAlice, "oscar", kArmenianOscar}) {
      SCOPED_TRACE("name \"" + preview(name) + "\"");
      mallory->send(chat::Login{name});
      mallory->expect_refusal(ErrorCode::name_taken);
    }
    auto v2_mallory = connect(index);  // and v2 logins alike
    v2_mallory->send(chat::Login{"ALICE", 2});
    v2_mallory->expect_refusal(ErrorCode::name_taken);
  }
  // A seed user who closes frees the name on every node.
  alice->close(1000);
  auto bob = connect(1);
  EXPECT_TRUE(login_when_free(*bob, "Alice", deadline_in(kDeadNodeBound)));
}

TEST_F(ClusterNamesTest, OneNameClaimedOnTwoNodesAtOnceIsGivenToOneOfThem) {
  for (int round = 0; round < 5; ++round) {
    const std::string name = "zoe" + std::to_string(round);
    auto on_a = connect(0);
    auto on_b = connect(1);
    on_a->send(chat::Login{name});
    on_b->send(chat::Login{"ZOE" + std::to_string(round)});  // a look-alike, at the same moment
    const auto reply_a = on_a->expect_message();
    const auto reply_b = on_b->expect_message();
    const bool a_won = reply_a.event == chat::Event::logged_in;
    const bool b_won = reply_b.event == chat::Event::logged_in;
    EXPECT_NE(a_won, b_won) << "round " << round << ": " << preview(on_a->last_raw()) << " / "
                            << preview(on_b->last_raw());
    EXPECT_EQ((a_won ? reply_b : reply_a).error, ErrorCode::name_taken);
  }
}

TEST_F(ClusterNamesTest, MembersAndPresenceCoverEveryNode) {
  auto alice = connect_v2(0, "alice");
  chat::MembersFrame members;
  auto bob = connect_v2(1, "bob", nullptr, &members);
  EXPECT_EQ(sorted_users(members), (std::set<std::string>{"alice", "bob"}));
  alice->expect_presence("general", "bob", true);
  auto carol = connect_as(2, "carol");  // seed users are present too
  for (auto* watcher : {alice.get(), bob.get()}) watcher->expect_presence("general", "carol", true);
  auto dave = connect_v2(2, "dave", nullptr, &members);
  EXPECT_EQ(sorted_users(members), (std::set<std::string>{"alice", "bob", "carol", "dave"}));
  for (auto* watcher : {alice.get(), bob.get()}) watcher->expect_presence("general", "dave", true);

  carol->close(1000);  // leaving by closing, on node C
  for (auto* watcher : {alice.get(), bob.get(), dave.get()}) watcher->expect_presence("general", "carol", false);
  bob->send(chat::CreateRoom{"jeux"});  // leaving by joining another room, on node B
  bob->expect_room_created("jeux");
  for (auto* watcher : {alice.get(), dave.get()}) watcher->expect_room_created("jeux");
  bob->send(chat::JoinRoom{"jeux"});
  bob->expect_joined("jeux");
  EXPECT_EQ(sorted_users(bob->expect_members("jeux")), (std::set<std::string>{"bob"}));
  bob->expect_history("jeux");
  for (auto* watcher : {alice.get(), dave.get()}) watcher->expect_presence("general", "bob", false);
  dave->send(chat::JoinRoom{"jeux"});  // arriving, from node C, in a room whose member is on B
  dave->expect_joined("jeux");
  EXPECT_EQ(sorted_users(dave->expect_members("jeux")), (std::set<std::string>{"bob", "dave"}));
  dave->expect_history("jeux");
  bob->expect_presence("jeux", "dave", true);
  alice->expect_presence("general", "dave", false);
  dave->abort();  // leaving by dropping
  bob->expect_presence("jeux", "dave", false);
  alice->expect_no_frame(milliseconds(300));
}

TEST_F(ClusterNamesTest, KillNineOfANodeFreesItsNamesAndReportsItsMembersLeft) {
  auto alice = connect_v2(0, "alice");
  auto carol = connect_v2(2, "carol");
  alice->expect_presence("general", "carol", true);
  auto bob = connect_v2(1, "bob");
  auto dave = connect_as(1, "dave");
  for (auto* watcher : {alice.get(), carol.get()}) {
    watcher->expect_presence("general", "bob", true);
    watcher->expect_presence("general", "dave", true);
  }
  node(1).kill9();
  const auto killed_at = Clock::now();
  ASSERT_TRUE(node(1).wait_exit(10s).has_value());

  // Both watchers are read in turns, so that neither goes silent for the server's 10 s liveness
  // limit (an unread client does not answer pings) while the other one waits.
  std::map<std::string, std::set<std::string>> left;  // watcher -> users reported left
  const auto done = [&] { return left["alice"].size() >= 2 && left["carol"].size() >= 2; };
  while (!done()) {
    ASSERT_LT(Clock::now(), killed_at + kDeadNodeBound)
        << "members of the killed node not reported left in time; alice heard " << left["alice"].size()
        << ", carol " << left["carol"].size();
    for (auto* watcher : {alice.get(), carol.get()}) {
      const auto message = watcher->receive(milliseconds(200));
      if (!message) continue;
      ASSERT_EQ(message->kind, WsMessage::Kind::text) << watcher->name() << ": " << message->describe();
      auto frame = chat::decode_server_frame(message->data, chat::Limits{});
      ASSERT_TRUE(frame) << watcher->name() << ": " << message->data;
      const auto* presence = std::get_if<chat::PresenceFrame>(&frame.value());
      ASSERT_TRUE(presence && presence->room == "general" && !presence->joined)
          << watcher->name() << ": expected left, got " << message->data;
      left[watcher->name()].insert(presence->user);
    }
  }
  EXPECT_EQ(left["alice"], (std::set<std::string>{"bob", "dave"}));
  EXPECT_EQ(left["carol"], (std::set<std::string>{"bob", "dave"}));
  auto new_bob = connect(0);
  auto new_dave = connect(2);
  EXPECT_TRUE(login_when_free(*new_dave, "dave", killed_at + kDeadNodeBound));
  EXPECT_TRUE(login_when_free(*new_bob, "bob", killed_at + kDeadNodeBound));
  std::cerr << "names and members of the killed node freed after "
            << std::chrono::duration_cast<milliseconds>(Clock::now() - killed_at).count() << " ms\n";
}

TEST_F(ClusterNamesTest, TheReservationOfADroppedV2UserHoldsOnEveryNode) {
  auto watcher = connect_v2(2, "watcher");
  auto alice = connect_v2(0, "alice");
  watcher->expect_presence("general", "alice", true);
  const std::string token = alice->token();
  alice->abort();
  watcher->expect_presence("general", "alice", false);  // node A has seen the drop: now a reservation

  auto mallory = connect(1);
  for (const std::string name : {"alice", "ALICE", kFullWidthAlice}) {
    SCOPED_TRACE("name \"" + preview(name) + "\"");
    mallory->send(chat::Login{name, 2});
    mallory->expect_refusal(ErrorCode::name_taken);
  }
  auto back = connect(2);  // the token's holder, on a third node
  back->resume(chat::Resume{token, "general", 0}, "alice", "general");
  EXPECT_EQ(back->token(), token);
  watcher->expect_presence("general", "alice", true);
  mallory->send(chat::Login{"alice"});
  mallory->expect_refusal(ErrorCode::name_taken);
  const std::string text = unique_text("alice is back");
  back->send(chat::SendMessage{text});
  expect_line(*watcher, "alice", "general", text);
}

}  // namespace
}  // namespace chat_it
