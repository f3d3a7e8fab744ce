// RedisEngine's read markers, mentions and typing (docs/ACCOUNTS.md, step 4) against a real
// redis-server of the test's own, with two engines (two nodes) on it: markers only rise, mentions
// for several accounts at once, a raise heard by every node (the raising node's inbox before the
// answer), typing heard by the other nodes only, a deleted room's markers gone with it, malformed
// messages and values skipped, and markers read again after a lost pub/sub link.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "engine_node.hpp"
#include "redis_process.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::EngineNode;
using chat_redis_test::RecordingInbox;
using chat_redis_test::RedisProcess;
using chat_redis_test::TestLoop;

StoredRoom public_room(const std::string& name) {
  StoredRoom room;
  room.name = name;
  room.creator = "alice";
  room.created_ms = 1700000000000;
  return room;
}

// The account's marker in `room` as read_markers gives it; nullopt when it has none there.
std::optional<ReadMarker> marker_in(const std::vector<ReadMarker>& markers, const std::string& room) {
  for (const auto& marker : markers) {
    if (marker.room == room) return marker;
  }
  return std::nullopt;
}

int times_heard(const RecordingInbox& inbox, AccountId account, const std::string& room, std::int64_t id) {
  return static_cast<int>(std::count_if(inbox.markers_raised.begin(), inbox.markers_raised.end(), [&](const auto& raised) {
    return raised.account == account && raised.room == room && raised.id == id;
  }));
}

class RedisEngineMarkersTest : public ::testing::Test {
 protected:
  std::unique_ptr<EngineNode> node() {
    return std::make_unique<EngineNode>(loop, parse_redis_url(redis.url()).url.value());
  }

  TestLoop loop;  // first: destroyed last, after the engines that use it
  RedisProcess redis;
};

TEST_F(RedisEngineMarkersTest, AReadMarkerOnlyRises) {
  auto a = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  EXPECT_TRUE(a->raise_read_marker(7, "open", 5));
  EXPECT_TRUE(a->raise_read_marker(7, "open", 3));  // done, and changes nothing
  EXPECT_EQ("5:0", redis.command({"HGET", "chat:markers:7", "open"}));
  EXPECT_GE(times_heard(a->inbox, 7, "open", 5), 2);
  EXPECT_EQ(0, times_heard(a->inbox, 7, "open", 3));  // what is heard is the marker, never lower
  EXPECT_TRUE(a->raise_read_marker(7, "open", 9));
  const auto markers = a->read_markers(7);
  ASSERT_TRUE(markers);
  ASSERT_EQ(1u, markers->size());
  EXPECT_EQ("open", (*markers)[0].room);
  EXPECT_EQ(9, (*markers)[0].last_read_id);
  EXPECT_EQ(0, (*markers)[0].last_mention_id);
  const auto nobody = a->read_markers(8);
  ASSERT_TRUE(nobody);
  EXPECT_TRUE(nobody->empty());
}

TEST_F(RedisEngineMarkersTest, MentionsRiseForSeveralAccountsAtOnceAndKeepTheirReadMarkers) {
  auto a = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  ASSERT_TRUE(a->raise_read_marker(9, "open", 6));
  EXPECT_TRUE(a->raise_mentions({7, 8, 9}, "open", 4));
  EXPECT_TRUE(a->raise_mentions({8}, "open", 2));  // lower: changes nothing
  EXPECT_TRUE(a->raise_mentions({}, "open", 5));
  const auto seven = a->read_markers(7), eight = a->read_markers(8), nine = a->read_markers(9);
  ASSERT_TRUE(seven && eight && nine);
  ASSERT_TRUE(marker_in(*seven, "open") && marker_in(*eight, "open") && marker_in(*nine, "open"));
  // A public room never read counts from the mention, not from its first line.
  EXPECT_EQ(3, marker_in(*seven, "open")->last_read_id);
  EXPECT_EQ(4, marker_in(*seven, "open")->last_mention_id);
  EXPECT_EQ(4, marker_in(*eight, "open")->last_mention_id);
  EXPECT_EQ(6, marker_in(*nine, "open")->last_read_id);
  EXPECT_EQ(4, marker_in(*nine, "open")->last_mention_id);
  // A later read marker keeps the mention.
  ASSERT_TRUE(a->raise_read_marker(7, "open", 10));
  EXPECT_EQ("10:4", redis.command({"HGET", "chat:markers:7", "open"}));
}

// Members follow a private room from its first line: a mention's new marker has nothing read.
TEST_F(RedisEngineMarkersTest, AMentionsNewMarkerInAPrivateRoomHasNothingRead) {
  auto a = node();
  StoredRoom secret = public_room("secret");
  secret.is_private = true;
  secret.owner = 3;
  secret.members = {3, 5};
  ASSERT_EQ(RoomOutcome::done, a->create_room(secret));
  EXPECT_TRUE(a->raise_mentions({5}, "secret", 6));
  EXPECT_EQ("0:6", redis.command({"HGET", "chat:markers:5", "secret"}));
}

TEST_F(RedisEngineMarkersTest, RaisesInARoomThatDoesNotExistFailAndStoreNothing) {
  auto a = node();
  EXPECT_FALSE(a->raise_read_marker(7, "nowhere", 5));
  EXPECT_FALSE(a->raise_mentions({7, 8}, "nowhere", 5));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:markers:7", "chat:markers:8", "chat:markedby:nowhere"}));
  EXPECT_TRUE(a->inbox.markers_raised.empty());
}

TEST_F(RedisEngineMarkersTest, ARaiseIsHeardByEveryNodeTheRaisingOneBeforeTheAnswer) {
  auto a = node();
  auto b = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  std::optional<bool> answer;
  bool reported_first = false;
  a->engine.raise_read_marker(7, "open", 12, [&](bool ok) {
    answer = ok;
    reported_first = times_heard(a->inbox, 7, "open", 12) >= 1;  // its pub/sub copy may come first too
  });
  ASSERT_TRUE(loop.run_until([&] { return answer.has_value() && times_heard(b->inbox, 7, "open", 12) > 0; }));
  EXPECT_TRUE(*answer);
  EXPECT_TRUE(reported_first);
  // Mentions are not published: b hears the next raise and nothing between.
  ASSERT_TRUE(a->raise_mentions({7, 8}, "open", 13));
  ASSERT_TRUE(a->raise_read_marker(8, "open", 13));
  ASSERT_TRUE(loop.run_until([&] { return times_heard(b->inbox, 8, "open", 13) > 0; }));
  EXPECT_EQ(2u, b->inbox.markers_raised.size());
}

TEST_F(RedisEngineMarkersTest, TypingIsHeardByTheOtherNodesOnlyAndNeverStored) {
  auto a = node();
  auto b = node();
  a->engine.announce_typing("general", "alice");
  ASSERT_TRUE(loop.run_until([&] { return !b->inbox.typings.empty(); }));
  EXPECT_EQ("general", b->inbox.typings[0].room);
  EXPECT_EQ("alice", b->inbox.typings[0].user);
  // b's answer is published after a's own message, so a has heard (and ignored) its own by then.
  b->engine.announce_typing(dm_room_name(3, 5), "bob");
  ASSERT_TRUE(loop.run_until([&] { return !a->inbox.typings.empty(); }));
  ASSERT_EQ(1u, a->inbox.typings.size());
  EXPECT_EQ(dm_room_name(3, 5), a->inbox.typings[0].room);
  EXPECT_EQ("bob", a->inbox.typings[0].user);
  EXPECT_EQ(1u, b->inbox.typings.size());
  EXPECT_FALSE(a->inbox.typings[0].node.empty());
  EXPECT_NE(a->inbox.typings[0].node, b->inbox.typings[0].node);  // each names the typer's node
  EXPECT_EQ("[]", redis.command({"KEYS", "*typing*"}));
}

TEST_F(RedisEngineMarkersTest, ADeletedRoomsMarkersGoWithItAndDoNotApplyToARoomMadeAgain) {
  auto a = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("other")));
  ASSERT_TRUE(a->raise_read_marker(7, "open", 5));
  ASSERT_TRUE(a->raise_read_marker(7, "other", 2));
  ASSERT_TRUE(a->raise_mentions({8}, "open", 4));
  EXPECT_EQ("2", redis.command({"SCARD", "chat:markedby:open"}));
  ASSERT_EQ(RoomOutcome::done, a->delete_room("open"));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:markedby:open", "chat:markers:8"}));
  EXPECT_EQ("0", redis.command({"HEXISTS", "chat:markers:7", "open"}));

  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  const auto markers = a->read_markers(7);
  ASSERT_TRUE(markers);
  EXPECT_FALSE(marker_in(*markers, "open"));
  ASSERT_TRUE(marker_in(*markers, "other"));  // another room's are untouched
  EXPECT_EQ(2, marker_in(*markers, "other")->last_read_id);
  const auto eight = a->read_markers(8);
  ASSERT_TRUE(eight);
  EXPECT_TRUE(eight->empty());
}

TEST_F(RedisEngineMarkersTest, MalformedMessagesAndMarkersAreSkipped) {
  auto a = node();
  auto b = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  redis.command({"PUBLISH", "chat:markers-raised", "nonsense"});
  redis.command({"PUBLISH", "chat:markers-raised", "0:5:open"});
  redis.command({"PUBLISH", "chat:typing", "nonsense"});
  redis.command({"PUBLISH", "chat:typing", "n1:99:open"});
  ASSERT_TRUE(a->raise_read_marker(7, "open", 3));
  b->engine.announce_typing("open", "bob");
  ASSERT_TRUE(loop.run_until([&] { return times_heard(b->inbox, 7, "open", 3) > 0 && !a->inbox.typings.empty(); }));
  EXPECT_EQ(1u, b->inbox.markers_raised.size());
  EXPECT_TRUE(b->inbox.typings.empty());
  EXPECT_EQ(1u, a->inbox.typings.size());

  redis.command({"HSET", "chat:markers:7", "broken", "x:y"});
  const auto markers = a->read_markers(7);
  ASSERT_TRUE(markers);
  ASSERT_EQ(1u, markers->size());
  EXPECT_EQ("open", (*markers)[0].room);
}

// A raise made while a node's pub/sub link was down (written here behind its back, never
// announced) is reported once it resubscribed, for the accounts whose markers its core read.
TEST_F(RedisEngineMarkersTest, AfterAPubSubReconnectANodeReportsTheMarkersOfItsAccountsAgain) {
  auto a = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open")));
  ASSERT_TRUE(a->read_markers(7));
  redis.command({"HSET", "chat:markers:7", "open", "12:0"});
  redis.command({"HSET", "chat:markers:8", "open", "30:0"});  // an account a never read
  redis.command({"CLIENT", "KILL", "TYPE", "pubsub"});
  ASSERT_TRUE(loop.run_until([&] { return times_heard(a->inbox, 7, "open", 12) > 0; }));
  EXPECT_EQ(0, times_heard(a->inbox, 8, "open", 30));
}

}  // namespace
}  // namespace chat::redis
