// RedisEngine's view of the other nodes' members at start, against a real redis-server: a node is
// ready (it prints "listening" and serves) only once it has read who is in its rooms on other
// nodes. Ready earlier, a newcomer's `members` missed them and they "joined" right after it: a
// version-2 client saw a `joined` between its `members` and its `history`.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine_node.hpp"
#include "redis_process.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::EngineNode;
using chat_redis_test::RedisProcess;
using chat_redis_test::TestLoop;

class RedisEnginePresenceTest : public ::testing::Test {
 protected:
  TestLoop loop;  // first: destroyed last, after the engines that use it
  RedisProcess redis;
};

TEST_F(RedisEnginePresenceTest, ANodeIsReadyOnlyOnceItKnowsTheOtherNodesMembers) {
  // Another node, alive (its heartbeat is fresh), has alice in general and bob in jeux.
  redis.command({"SET", "chat:node:othernode", "1", "PX", "60000"});
  redis.command({"HSET", "chat:rooms", "jeux", "1700000000000:bob"});
  redis.command({"HSET", "chat:members:general", "alice", "othernode"});
  redis.command({"HSET", "chat:members:jeux", "bob", "othernode"});

  EngineNode node(loop, parse_redis_url(redis.url()).url.value());

  ASSERT_EQ(2u, node.presence_when_ready) << "ready before the other node's members were read";
  std::vector<std::string> heard;
  for (const auto& p : node.inbox.presence) heard.push_back(p.room + ":" + p.user + "@" + p.node + (p.joined ? "+" : "-"));
  std::sort(heard.begin(), heard.end());
  EXPECT_EQ((std::vector<std::string>{"general:alice@othernode+", "jeux:bob@othernode+"}), heard);
}

}  // namespace
}  // namespace chat::redis
