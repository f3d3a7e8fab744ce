// The chat core's typing notices (docs/ACCOUNTS.md, step 4): to the room's other v2 sessions
// only, to every session of a conversation's other person, one per interval per connection, the
// refusals; and in a cluster, announced to the other nodes and heard from them, as are read
// markers raised there.
#include "fakes/counting_cluster_engine.hpp"
#include "fakes/unread_test.hpp"

namespace chat {
namespace {

using ChatServiceTypingTest = UnreadTest;

TEST_F(ChatServiceTypingTest, ARoomsOtherSessionsHearItAndNoOneElse) {
  const auto [alice, token] = device("alice");
  const auto [alice_phone, phone_token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const SessionId guest = logged_in("guest", kCurrentVersion);
  const SessionId seed = logged_in("old");
  const auto [carol, carol_token] = device("carol");
  send(carol, CreateRoom{"lobby"});
  send(carol, JoinRoom{"lobby"});
  transport_.clear();
  send(alice, Typing{"general", ""});
  EXPECT_TRUE(transport_.take(alice).empty());  // no answer
  EXPECT_TRUE(transport_.take(alice_phone).empty());  // the typer's own device
  for (const SessionId other : {bob, guest}) expect_told_typing(other, TypingFrame{"general", "", "alice"});
  EXPECT_TRUE(transport_.take(seed).empty());
  EXPECT_TRUE(transport_.take(carol).empty());  // another room
  send(guest, Typing{"general", ""});  // a guest may type in its room
  EXPECT_EQ(typing_frames(bob).size(), 1u);
}

TEST_F(ChatServiceTypingTest, OnePerIntervalPerConnectionTheRestDroppedWithoutAnAnswer) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  transport_.clear();
  send(alice, Typing{"general", ""});
  EXPECT_EQ(typing_frames(bob).size(), 1u);
  clock_.now += 2'999;
  send(alice, Typing{"general", ""});
  EXPECT_TRUE(transport_.take(alice).empty());
  EXPECT_TRUE(transport_.take(bob).empty());
  send(bob, Typing{"general", ""});  // per connection: bob's own is not held up by alice's
  EXPECT_EQ(typing_frames(alice).size(), 1u);
  clock_.now += 1;
  send(alice, Typing{"general", ""});
  EXPECT_EQ(typing_frames(bob).size(), 1u);
}

TEST_F(ChatServiceTypingTest, NoSpacingWhenTheIntervalIsZero) {
  ServiceOptions options;
  options.typing_interval_ms = 0;
  start(options);
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  transport_.clear();
  send(alice, Typing{"general", ""});
  send(alice, Typing{"general", ""});
  EXPECT_EQ(typing_frames(bob).size(), 2u);
}

TEST_F(ChatServiceTypingTest, Refusals) {
  const auto [alice, token] = device("alice");
  send(alice, CreateRoom{"lobby"});
  const SessionId guest = logged_in("guest", kCurrentVersion);
  const MessageFrame elsewhere = ask(alice, Typing{"lobby", ""});
  EXPECT_EQ(elsewhere.error, ErrorCode::not_allowed);
  EXPECT_EQ(elsewhere.message, describe(Error{ErrorCode::not_allowed, "you are not in room lobby"}));
  EXPECT_EQ(ask(alice, Typing{"nowhere", ""}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(guest, Typing{"", "alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(alice, Typing{"", "ALICE"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(alice, Typing{"", "nobody"}).error, ErrorCode::no_such_account);
  const SessionId seed = logged_in("old");
  EXPECT_EQ(ask(seed, Typing{"general", ""}).error, ErrorCode::not_allowed);
}

TEST_F(ChatServiceTypingTest, ADirectOneReachesEverySessionOfTheOtherAccount) {
  const auto [alice, token] = device("alice");
  const auto [alice_phone, phone_token] = device("alice");
  const auto [laptop, laptop_token] = device("Bob");
  const auto [phone, bob_phone_token] = device("Bob");
  send(phone, CreateRoom{"lobby"});
  send(phone, JoinRoom{"lobby"});
  transport_.clear();
  send(alice, Typing{"", "bob"});
  for (const SessionId session : {laptop, phone}) expect_told_typing(session, TypingFrame{"", "alice", "alice"});
  EXPECT_TRUE(transport_.take(alice_phone).empty());
  EXPECT_TRUE(transport_.take(alice).empty());
}

// The same core on an engine that says it is a cluster: what it announces, what it hears.
class ChatServiceClusterUnreadTest : public UnreadTest {
 protected:
  ChatServiceClusterUnreadTest() {
    service_ = std::make_unique<ChatService>(Ports{transport_, cluster_, clock_, random_, hasher_, passwords_}, ServiceOptions{});
    StoredState state;
    cluster_.load(state);
    service_->restore(state);
  }
  CountingClusterEngine cluster_{engine_, store_};
};

TEST_F(ChatServiceClusterUnreadTest, TypingIsAnnouncedToTheOtherNodes) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  send(alice, Typing{"general", ""});
  clock_.now += 3'000;
  send(alice, Typing{"", "bob"});
  const std::vector<std::pair<std::string, std::string>> expected{
      {"general", "alice"}, {dm_room_name(account_id("alice"), account_id("bob")), "alice"}};
  EXPECT_EQ(cluster_.typing, expected);
}

TEST_F(ChatServiceClusterUnreadTest, TypingFromAnotherNodeReachesThisNodesSessions) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const auto [carol, carol_token] = device("carol");
  send(carol, CreateRoom{"lobby"});
  send(carol, JoinRoom{"lobby"});
  transport_.clear();
  service_->typing("general", "dave", "node-b");
  EXPECT_EQ(typing_frames(alice).size(), 1u);
  EXPECT_EQ(typing_frames(bob).size(), 1u);
  EXPECT_TRUE(transport_.take(carol).empty());
  service_->typing("general", "bob", "node-b");  // bob's phone on the other node: not to his own here
  EXPECT_TRUE(transport_.take(bob).empty());
  EXPECT_EQ(typing_frames(alice).size(), 1u);
  service_->typing(dm_room_name(account_id("alice"), account_id("bob")), "alice", "node-b");
  expect_told_typing(bob, TypingFrame{"", "alice", "alice"});
  EXPECT_TRUE(transport_.take(alice).empty());
  EXPECT_TRUE(transport_.take(carol).empty());
}

TEST_F(ChatServiceClusterUnreadTest, AMarkerRaisedOnAnotherNodeReachesEverySessionHere) {
  const auto [alice, token] = device("alice");
  const auto [laptop, laptop_token] = device("bob");
  const auto [phone, phone_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one", "two", "three"});
  service_->read_marker_raised(account_id("bob"), "club", 2);
  for (const SessionId session : {laptop, phone}) {
    const UnreadCount count = only_count(session);
    EXPECT_EQ(count.room, "club");
    EXPECT_EQ(count.last_read_id, 2);
    EXPECT_EQ(count.count, 1);
  }
  service_->read_marker_raised(account_id("bob"), "club", 2);  // a repeat tells nobody
  service_->read_marker_raised(account_id("bob"), "nowhere", 9);  // nor a room that is not here
  EXPECT_TRUE(unread_frames(laptop).empty());
  EXPECT_TRUE(unread_frames(phone).empty());
}

TEST_F(ChatServiceClusterUnreadTest, RaisesHeardWhileTheMarkersLoadAreMergedByMax) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one", "two", "three"});
  send(bob, MarkRead{"club", 1, ""});
  service_->disconnect(bob);
  cluster_.hold_marker_reads = true;
  const SessionId back = connect();
  password_login(back, "bob", kPassword);
  service_->read_marker_raised(account_id("bob"), "club", 2);  // read on another node meanwhile
  EXPECT_TRUE(unread_frames(back).empty());  // the counts follow the load
  cluster_.release_marker_reads();
  settle();
  const auto counts = entries(unread_frames(back));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].last_read_id, 2);  // the stored 1 did not lower it
  EXPECT_EQ(counts[0].count, 1);
}

TEST_F(ChatServiceClusterUnreadTest, ARoomNumberedAnewCountsFromItsNewStart) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one", "two", "three"});
  send(bob, MarkRead{"club", 3, ""});
  transport_.clear();
  // The engine lost the room's lines and counter (and its markers with them): a new epoch.
  service_->line_published("club", "new-epoch", ChatLine{1, 5, "alice", "again"});
  const UnreadCount count = only_count(bob);
  EXPECT_EQ(count.last_read_id, 0);
  EXPECT_EQ(count.count, 1);
}

}  // namespace
}  // namespace chat
