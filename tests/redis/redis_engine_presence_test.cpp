// RedisEngine's view of the other nodes' members at start, against a real redis-server: a node is
// ready (it prints "listening" and serves) only once it has read who is in its rooms on other
// nodes. Ready earlier, a newcomer's `members` missed them and they "joined" right after it: a
// version-2 client saw a `joined` between its `members` and its `history`. And an account is in
// a room once per node it is on there, in as many rooms as its sessions are.
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
  redis.command({"SADD", "chat:present:general", "othernode:alice"});
  redis.command({"SADD", "chat:present:jeux", "othernode:bob"});

  EngineNode node(loop, parse_redis_url(redis.url()).url.value());

  ASSERT_EQ(2u, node.presence_when_ready) << "ready before the other node's members were read";
  std::vector<std::string> heard;
  for (const auto& p : node.inbox.presence) heard.push_back(p.room + ":" + p.user + "@" + p.node + (p.joined ? "+" : "-"));
  std::sort(heard.begin(), heard.end());
  EXPECT_EQ((std::vector<std::string>{"general:alice@othernode+", "jeux:bob@othernode+"}), heard);
}

// Carol is in general and jeux on node A (a tab in each) and in general on node B (her phone): a
// node starting afterwards hears every one of those three. Until each person had one entry per
// room, B's entry replaced A's, and a join elsewhere on a node was taken for a leave.
TEST_F(RedisEnginePresenceTest, AnAccountOnTwoNodesAndInTwoRoomsOfOneIsKnownEverywhereItIs) {
  redis.command({"HSET", "chat:rooms", "jeux", "1700000000000:bob"});
  EngineNode a(loop, parse_redis_url(redis.url()).url.value());
  EngineNode b(loop, parse_redis_url(redis.url()).url.value());
  a.engine.announce_presence("general", "carol", true);
  a.engine.announce_presence("jeux", "carol", true);
  b.engine.announce_presence("general", "carol", true);
  ASSERT_TRUE(loop.run_until([&] { return a.inbox.presence.size() == 1 && b.inbox.presence.size() == 2; }));
  const std::string node_a = b.inbox.presence[0].node;
  const std::string node_b = a.inbox.presence[0].node;
  const auto heard_by_newcomer = [&] {
    EngineNode newcomer(loop, parse_redis_url(redis.url()).url.value());
    std::vector<std::string> heard;
    for (const auto& p : newcomer.inbox.presence) {
      heard.push_back(p.room + ":" + p.user + "@" + (p.node == node_a ? "A" : p.node == node_b ? "B" : p.node) +
                      (p.joined ? "+" : "-"));
    }
    std::sort(heard.begin(), heard.end());
    return heard;
  };
  EXPECT_EQ((std::vector<std::string>{"general:carol@A+", "general:carol@B+", "jeux:carol@A+"}), heard_by_newcomer());

  a.engine.announce_presence("general", "carol", false);  // A's tab in general closes
  ASSERT_TRUE(loop.run_until([&] { return b.inbox.presence.size() == 3; }));
  EXPECT_FALSE(b.inbox.presence[2].joined);
  EXPECT_EQ((std::vector<std::string>{"general:carol@B+", "jeux:carol@A+"}), heard_by_newcomer());
}

}  // namespace
}  // namespace chat::redis
