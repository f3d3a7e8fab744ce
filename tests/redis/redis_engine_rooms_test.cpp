// RedisEngine's private rooms and direct conversations (docs/ACCOUNTS.md, step 3) against a real
// redis-server of the test's own, with two engines (two nodes) on it: a private room created with
// its members, member changes heard by every node (the changing node's inbox before the answer),
// idempotent changes, `conflict` for a room that is not there, loading after a restart, a
// conversation's room (a name starting with a control character, no name keys), and the re-read
// of members after a lost pub/sub link.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "engine_node.hpp"
#include "redis_process.hpp"
#include "stored_room_builder.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::EngineNode;
using chat_redis_test::RedisProcess;
using chat_redis_test::public_room;
using chat_redis_test::TestLoop;

StoredRoom private_room(const std::string& name, AccountId owner, std::vector<AccountId> members) {
  StoredRoom room = public_room(name, "alice", 1700000000000);
  room.is_private = true;
  room.owner = owner;
  room.members = std::move(members);
  return room;
}

class RedisEngineRoomsTest : public ::testing::Test {
 protected:
  std::unique_ptr<EngineNode> node() {
    return std::make_unique<EngineNode>(loop, parse_redis_url(redis.url()).url.value());
  }
  std::string members_in_redis(const std::string& room) { return redis.command({"ZRANGE", "chat:roommembers:" + room, "0", "-1"}); }

  TestLoop loop;  // first: destroyed last, after the engines that use it
  RedisProcess redis;
};

TEST_F(RedisEngineRoomsTest, APrivateRoomIsCreatedWithItsMembersAndEveryNodeHearsThem) {
  auto a = node();
  auto b = node();
  std::optional<RoomOutcome> outcome;
  bool reported_first = false;
  a->engine.create_room(private_room("secret", 7, {7, 8}), [&](RoomOutcome answer) {
    outcome = answer;
    reported_first = a->inbox.created("secret") != nullptr;  // the inbox before the answer
  });
  ASSERT_TRUE(loop.run_until([&] { return outcome.has_value() && b->inbox.created("secret") != nullptr; }));
  EXPECT_EQ(RoomOutcome::done, *outcome);
  EXPECT_TRUE(reported_first);
  const StoredRoom& heard = *b->inbox.created("secret");
  EXPECT_TRUE(heard.is_private);
  EXPECT_EQ(7, heard.owner);
  EXPECT_EQ((std::vector<AccountId>{7, 8}), heard.members);
  EXPECT_EQ("alice", heard.creator);
  EXPECT_EQ("[7, 8]", members_in_redis("secret"));
  EXPECT_EQ("1700000000000:alice\x1fp7", redis.command({"HGET", "chat:rooms", "secret"}));
  // A public room is what it was, and takes no members set.
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open", "bob", 1700000000001)));
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.created("open") != nullptr; }));
  EXPECT_FALSE(b->inbox.created("open")->is_private);
  EXPECT_EQ("1700000000001:bob", redis.command({"HGET", "chat:rooms", "open"}));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:roommembers:open"}));
}

TEST_F(RedisEngineRoomsTest, MemberChangesReachEveryNodeAndTheChangingNodeFirst) {
  auto a = node();
  auto b = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(private_room("secret", 7, {7})));
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.created("secret") != nullptr; }));

  std::optional<RoomOutcome> outcome;
  bool reported_first = false;
  a->engine.add_room_member("secret", 9, [&](RoomOutcome answer) {
    outcome = answer;
    reported_first = a->inbox.heard("secret", 9, true) >= 1;  // its pub/sub copy may come first too
  });
  ASSERT_TRUE(loop.run_until([&] { return outcome.has_value() && b->inbox.heard("secret", 9, true) > 0; }));
  EXPECT_EQ(RoomOutcome::done, *outcome);
  EXPECT_TRUE(reported_first);

  EXPECT_EQ(RoomOutcome::done, b->change_member("secret", 9, /*added=*/false));
  EXPECT_GE(b->inbox.heard("secret", 9, false), 1);
  ASSERT_TRUE(loop.run_until([&] { return a->inbox.heard("secret", 9, false) > 0; }));
  EXPECT_EQ("[7]", members_in_redis("secret"));
}

TEST_F(RedisEngineRoomsTest, ChangesThatChangeNothingAreDoneAndStillHeardAndMembersKeepTheirOrder) {
  auto a = node();
  auto b = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(private_room("secret", 7, {7, 8})));
  EXPECT_EQ(RoomOutcome::done, a->change_member("secret", 7, true));    // already a member
  EXPECT_EQ(RoomOutcome::done, a->change_member("secret", 42, false));  // never was one
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.heard("secret", 42, false) > 0; }));
  EXPECT_GE(b->inbox.heard("secret", 7, true), 1);
  EXPECT_EQ("[7, 8]", members_in_redis("secret"));
  // In order of addition: one removed and added again comes last.
  EXPECT_EQ(RoomOutcome::done, a->change_member("secret", 9, true));
  EXPECT_EQ(RoomOutcome::done, a->change_member("secret", 8, false));
  EXPECT_EQ(RoomOutcome::done, a->change_member("secret", 8, true));
  EXPECT_EQ(RoomOutcome::done, a->change_member("secret", 9, true));
  EXPECT_EQ("[7, 9, 8]", members_in_redis("secret"));
}

TEST_F(RedisEngineRoomsTest, AChangeInARoomThatIsNotThereIsAConflictAndDeletionTakesTheMembers) {
  auto a = node();
  EXPECT_EQ(RoomOutcome::conflict, a->change_member("nowhere", 7, true));
  EXPECT_EQ(RoomOutcome::conflict, a->change_member("nowhere", 7, false));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:roommembers:nowhere"}));
  EXPECT_TRUE(a->inbox.member_changes.empty());

  ASSERT_EQ(RoomOutcome::done, a->create_room(private_room("secret", 7, {7, 8})));
  ASSERT_EQ(RoomOutcome::done, a->delete_room("secret"));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:roommembers:secret"}));
  EXPECT_EQ(RoomOutcome::conflict, a->change_member("secret", 9, true));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:roommembers:secret"}));
  // Created again as a public room: no members left over from before.
  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("secret", "bob", 1700000000005)));
  auto c = node();
  for (const auto& room : c->state.rooms) {
    if (room.name == "secret") {
      EXPECT_FALSE(room.is_private);
      EXPECT_TRUE(room.members.empty());
    }
  }
}

TEST_F(RedisEngineRoomsTest, LoadAfterARestartReadsPrivateRoomsWithTheirMembersInOrder) {
  const std::string conversation = dm_room_name(5, 3);
  {
    auto a = node();
    ASSERT_EQ(RoomOutcome::done, a->create_room(private_room("secret", 7, {7, 8})));
    ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("open", "bob", 1700000000001)));
    ASSERT_EQ(RoomOutcome::done, a->create_room(private_room(conversation, 0, {3, 5})));
    ASSERT_EQ(RoomOutcome::done, a->change_member("secret", 4, true));
    ASSERT_EQ(RoomOutcome::done, a->change_member("secret", 8, false));
  }
  auto b = node();
  std::map<std::string, StoredRoom> loaded;
  for (const auto& room : b->state.rooms) loaded[room.name] = room;
  ASSERT_EQ(4u, loaded.size());  // general too
  EXPECT_TRUE(loaded["secret"].is_private);
  EXPECT_EQ(7, loaded["secret"].owner);
  EXPECT_EQ((std::vector<AccountId>{7, 4}), loaded["secret"].members);
  EXPECT_FALSE(loaded["open"].is_private);
  EXPECT_TRUE(loaded["open"].members.empty());
  EXPECT_TRUE(loaded[conversation].is_private);
  EXPECT_EQ(0, loaded[conversation].owner);
  EXPECT_EQ((std::vector<AccountId>{3, 5}), loaded[conversation].members);
  EXPECT_FALSE(loaded["general"].is_private);
}

TEST_F(RedisEngineRoomsTest, AConversationsRoomTakesNoNameKeysAndHoldsLinesLikeAnyRoom) {
  auto a = node();
  auto b = node();
  const std::string conversation = dm_room_name(3, 5);
  ASSERT_EQ('\x01', conversation[0]);
  const std::string keys_before = redis.command({"HLEN", "chat:roomkeys"});
  ASSERT_EQ(RoomOutcome::done, a->create_room(private_room(conversation, 0, {3, 5})));
  EXPECT_EQ(keys_before, redis.command({"HLEN", "chat:roomkeys"}));
  EXPECT_EQ(RoomOutcome::conflict, b->create_room(private_room(dm_room_name(5, 3), 0, {3, 5})));
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.created(conversation) != nullptr; }));
  EXPECT_EQ((std::vector<AccountId>{3, 5}), b->inbox.created(conversation)->members);
  // The name people would type for it is a different, free room.
  EXPECT_EQ(RoomOutcome::done, a->create_room(public_room("dm:3:5", "bob", 1)));

  std::optional<PublishResult> published;
  a->engine.publish(conversation, 1700000000002, "alice", "hi bob", [&](PublishResult result) { published = result; });
  ASSERT_TRUE(loop.run_until([&] { return published.has_value(); }));
  ASSERT_EQ(PublishOutcome::stored, published->outcome);
  EXPECT_EQ(1, published->id);
  std::optional<LinePage> page;
  b->engine.read_lines(LineQuery{conversation, 0, 0, 10}, [&](LinePage read) { page = std::move(read); });
  ASSERT_TRUE(loop.run_until([&] { return page.has_value(); }));
  ASSERT_TRUE(page->ok);
  ASSERT_EQ(1u, page->lines.size());
  EXPECT_EQ("hi bob", page->lines[0].text);

  ASSERT_EQ(RoomOutcome::done, b->delete_room(conversation));
  ASSERT_TRUE(loop.run_until([&] {
    return std::find(a->inbox.rooms_deleted.begin(), a->inbox.rooms_deleted.end(), conversation) != a->inbox.rooms_deleted.end();
  }));
  EXPECT_EQ(keys_before, redis.command({"EVAL", "return redis.call('hlen', KEYS[1]) - 2", "1", "chat:roomkeys"}));
  EXPECT_EQ("0", redis.command({"EXISTS", "chat:roommembers:" + conversation}));
}

// Changes made while a node's pub/sub link was down (written here behind its back, never announced)
// are reported once it resubscribed: members added and removed, and a new private room with its members.
TEST_F(RedisEngineRoomsTest, AfterAPubSubReconnectANodeReportsMemberChangesItMissed) {
  auto a = node();
  ASSERT_EQ(RoomOutcome::done, a->create_room(private_room("secret", 7, {7, 8})));
  redis.command({"ZADD", "chat:roommembers:secret", "3", "9"});
  redis.command({"ZREM", "chat:roommembers:secret", "8"});
  redis.command({"HSET", "chat:rooms", "hidden", "1700000000009:carol\x1fp11"});
  redis.command({"ZADD", "chat:roommembers:hidden", "1", "11", "2", "12"});
  EXPECT_EQ(0, a->inbox.heard("secret", 9, true));
  redis.command({"CLIENT", "KILL", "TYPE", "pubsub"});
  ASSERT_TRUE(loop.run_until([&] {
    return a->inbox.heard("secret", 9, true) > 0 && a->inbox.heard("secret", 8, false) > 0 &&
           a->inbox.created("hidden") != nullptr;
  }));
  EXPECT_EQ(0, a->inbox.heard("secret", 7, false));
  EXPECT_TRUE(a->inbox.created("hidden")->is_private);
  EXPECT_EQ(11, a->inbox.created("hidden")->owner);
  EXPECT_EQ((std::vector<AccountId>{11, 12}), a->inbox.created("hidden")->members);
}

// Another node created the conversation first and this node has not heard of it yet (written here
// behind its back, never announced): the conflict's answer comes after the room, with its members,
// was reported, so whoever asked can go on with it (a conversation's first line racing the other
// person's). A look-alike's conflict reports nothing.
TEST_F(RedisEngineRoomsTest, ACreationThatFindsTheNameTakenReportsTheRoomThatExistsBeforeAnswering) {
  auto a = node();
  const std::string conversation = dm_room_name(3, 5);
  redis.command({"HSET", "chat:rooms", conversation, "1700000000009:\x1fp0"});
  redis.command({"ZADD", "chat:roommembers:" + conversation, "1", "3", "2", "5"});
  std::optional<RoomOutcome> outcome;
  bool reported_first = false;
  a->engine.create_room(private_room(conversation, 0, {3, 5}), [&](RoomOutcome answer) {
    outcome = answer;
    reported_first = a->inbox.created(conversation) != nullptr;
  });
  ASSERT_TRUE(loop.run_until([&] { return outcome.has_value(); }));
  EXPECT_EQ(RoomOutcome::conflict, *outcome);
  ASSERT_TRUE(reported_first);
  const StoredRoom& reported = *a->inbox.created(conversation);
  EXPECT_TRUE(reported.is_private);
  EXPECT_EQ(0, reported.owner);
  EXPECT_EQ(1700000000009, reported.created_ms);
  EXPECT_EQ((std::vector<AccountId>{3, 5}), reported.members);

  ASSERT_EQ(RoomOutcome::done, a->create_room(public_room("alice", "bob", 1)));
  const auto rooms_reported = a->inbox.rooms_created.size();
  EXPECT_EQ(RoomOutcome::conflict, a->create_room(public_room("ALICE", "bob", 2)));
  EXPECT_EQ(rooms_reported, a->inbox.rooms_created.size());
}

}  // namespace
}  // namespace chat::redis
