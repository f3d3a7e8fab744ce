// RedisConnection on its own: retries when no Redis is there or a connect hangs, and its health
// probe against a real redis-server: a Redis that answers slowly but steadily (a probe queued
// behind long work) keeps its link. Before, the probe's own answer was
// all that counted: a crowd's commands queued ahead of it made a busy node drop a healthy link
// and fail every command in flight (the 100 000-connection benchmark, "no reply for 7 s"). A Redis
// that stops answering at all is still dropped: RedisRoomLogTest.ARedisThatStopsAnswering...
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "quick_link_options.hpp"
#include "redis_process.hpp"
#include "server/engine/redis/redis_connection.hpp"
#include "test_loop.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::quick_link_options;
using chat_redis_test::RedisProcess;
using chat_redis_test::TestLoop;
using std::chrono::milliseconds;

// A script that keeps Redis busy (Redis runs one command at a time): ~50 ms on a quiet machine.
const char* const kBusyScript = "local i = 0 while i < tonumber(ARGV[1]) do i = i + 1 end return i";
constexpr const char* kLoops = "500000";

TEST(RedisConnectionTest, NoRedisThereTheLinkKeepsRetryingAndSaysWhy) {
  TestLoop loop;
  std::uint16_t port = 0;
  {
    RedisProcess redis;  // a port where Redis was, and no longer is
    port = redis.port();
  }
  RedisUrl url{"127.0.0.1", port, 0};
  ConnectionOptions options = quick_link_options("nobody");
  RedisConnection link(loop.get(), url, options);
  std::vector<std::string> reasons;
  link.on_state([&](LinkState state, const std::string& reason) {
    if (state == LinkState::disconnected) reasons.push_back(reason);
  });
  link.start();
  ASSERT_TRUE(loop.run_until([&] { return reasons.size() >= 3; })) << "it retries by itself";
  EXPECT_NE(reasons.front().find("refused"), std::string::npos) << reasons.front();
  bool answered = false;
  link.command({"PING"}, [&](const RedisReply& reply) {
    EXPECT_TRUE(reply.is_error());
    answered = true;
  });
  EXPECT_FALSE(answered);
  ASSERT_TRUE(loop.run_until([&] { return answered; }));
}

// A listener whose accept queue is full (backlog 0, one connection already waiting): the kernel
// drops further SYNs, so a connect neither succeeds nor fails. Only the link's timer ends it.
TEST(RedisConnectionTest, AConnectThatHangsTimesOutAndIsRetried) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  // Fill the accept queue: Linux holds backlog + 1 connections, so one completed connect fills it
  // (a second blocking connect would itself hang for minutes).
  const int filler = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  TestLoop loop;
  ConnectionOptions options = quick_link_options("hanging");
  options.connect_timeout_ms = 300;
  RedisConnection link(loop.get(), RedisUrl{"127.0.0.1", ntohs(address.sin_port), 0}, options);
  std::vector<std::string> reasons;
  link.on_state([&](LinkState state, const std::string& reason) {
    if (state == LinkState::disconnected) reasons.push_back(reason);
  });
  link.start();
  const bool retried = loop.run_until([&] { return reasons.size() >= 2; });
  ::close(filler);
  ::close(listener);
  ASSERT_TRUE(retried);
  EXPECT_NE(reasons[0].find("timed out"), std::string::npos) << reasons[0];
}

TEST(RedisConnectionTest, ALinkWhoseAnswersKeepComingIsKeptThoughTheProbeWaitsBehindThem) {
  TestLoop loop;  // first: destroyed last, after the connection that uses it
  RedisProcess redis;
  // The timeout is long beside one script, so that no gap between two answers comes near it even
  // on a loaded machine (CI saw a 46 ms script's answer come 284 ms after the one before, and,
  // with the machine also compiling, 1.5 s of silence after 347 ms scripts); the work queued
  // ahead of the probe is 2.5 timeouts, so the old rule, which waited for the probe's own
  // answer, drops the link however fast or slow the machine is.
  const auto started = std::chrono::steady_clock::now();
  redis.command({"EVAL", kBusyScript, "0", kLoops});
  const auto one = std::max(milliseconds(10), std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started));
  ConnectionOptions options = quick_link_options("busy");
  options.probe_interval_ms = 10;
  options.reply_timeout_ms = 4000;
  const int scripts = static_cast<int>(
      std::clamp<std::int64_t>(2.5 * options.reply_timeout_ms / static_cast<double>(one.count()) + 1, 10, 1200));

  RedisConnection link(loop.get(), parse_redis_url(redis.url()).url.value(), options);
  std::string dropped;
  link.on_state([&dropped](LinkState state, const std::string& reason) {
    if (state == LinkState::disconnected) dropped = reason;
  });
  link.start();
  ASSERT_TRUE(loop.run_until([&] { return link.state() == LinkState::connected; }));
  // A probe goes out behind the first script (probes run every 10 ms).
  int answered = 0;
  int failed = 0;
  // Each padded past Redis's 16 KB read: Redis then runs one per turn of its loop and sends its
  // answer before the next, as it does with a node's commands sent over time (a whole pipeline
  // read at once would be answered at once, at the end).
  const std::string padding(20 * 1024, 'x');
  for (int i = 0; i < scripts; ++i) {
    link.command({"EVAL", kBusyScript, "0", kLoops, padding}, [&](const RedisReply& reply) { ++(reply.is_error() ? failed : answered); });
  }
  ASSERT_TRUE(loop.run_until([&] { return answered + failed == scripts; }));
  EXPECT_EQ(0, failed) << "the link was dropped: " << dropped;
  EXPECT_EQ("", dropped) << "one script took " << one.count() << " ms, the timeout " << options.reply_timeout_ms;
  EXPECT_EQ(LinkState::connected, link.state());
}

}  // namespace
}  // namespace chat::redis
