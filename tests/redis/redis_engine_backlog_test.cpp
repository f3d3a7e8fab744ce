// RedisEngine::pending(), the core's back-pressure signal (lines beyond it get server_busy),
// against a real redis-server: store work is counted until answered, the cluster's names,
// presence and typing notices are not (one node keeps those in memory and counts none of them).
// Counted, a crowd of 10 000 logins on one node filled the backlog and its first chat lines were
// refused.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "engine_node.hpp"
#include "redis_process.hpp"
#include "stored_room_builder.hpp"
#include "server/names/name_keys.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::EngineNode;
using chat_redis_test::RedisProcess;
using chat_redis_test::TestLoop;
using chat_redis_test::public_room;

class RedisEngineBacklogTest : public ::testing::Test {
 protected:
  TestLoop loop;  // first: destroyed last, after the engine that uses it
  RedisProcess redis;
};

TEST_F(RedisEngineBacklogTest, NamesPresenceAndTypingInFlightAreNotCountedStoreWorkIs) {
  EngineNode node(loop, parse_redis_url(redis.url()).url.value());
  // What the engine reads by itself once connected (tokens, rooms) is answered first; from here
  // on the loop does not run until the end, so nothing else can start meanwhile.
  ASSERT_TRUE(loop.run_until([&] { return node.engine.pending() == 0; }));
  int claimed = 0;
  for (int i = 0; i < 50; ++i) {
    node.engine.claim_name(name_keys("user" + std::to_string(i)), SessionId(i + 1), "",
                           [&claimed](ClaimOutcome outcome) { claimed += outcome == ClaimOutcome::claimed; });
    node.engine.announce_presence("general", "user" + std::to_string(i), true);
    node.engine.announce_typing("general", "user" + std::to_string(i));
  }
  EXPECT_EQ(0u, node.engine.pending()) << "names, presence or typing in flight count against the lines' backlog";

  std::optional<RoomOutcome> created;
  node.engine.create_room(public_room("counted", "user0", 1700000000000),
                          [&created](RoomOutcome outcome) { created = outcome; });
  EXPECT_EQ(1u, node.engine.pending()) << "a room being stored is store work";

  ASSERT_TRUE(loop.run_until([&] { return claimed == 50 && created.has_value(); }));
  EXPECT_EQ(RoomOutcome::done, *created);
  // The new room's reads (its channel going live) may still be answered: the count drains.
  EXPECT_TRUE(loop.run_until([&] { return node.engine.pending() == 0; }));
}

}  // namespace
}  // namespace chat::redis
