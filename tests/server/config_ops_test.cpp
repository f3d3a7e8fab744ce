// Parsing of the operations flags: graces, rate limits, queue, --metrics-listen (and their variables).
#include "server/config.hpp"
#include "parse_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace chat {
namespace {

TEST(ConfigOps, ShutdownGraceInSeconds) {
  EXPECT_EQ(parse({}).config.shutdown_grace_ms, 2000);
  EXPECT_EQ(parse({"--shutdown-grace", "30"}).config.shutdown_grace_ms, 30000);
  EXPECT_EQ(parse({}, {{"CHAT_SHUTDOWN_GRACE", "0"}}).config.shutdown_grace_ms, 0);
  for (const char* bad : {"-1", "2.5", "3601", "soon"}) {
    EXPECT_NE(parse({"--shutdown-grace", bad}).error, "") << bad;
  }
}

TEST(ConfigOps, PingAfterInWholeSecondsFromOne) {
  EXPECT_EQ(parse({}).config.ping_after_ms, 5000);
  EXPECT_EQ(parse({"--ping-after", "30"}).config.ping_after_ms, 30000);
  EXPECT_EQ(parse({}, {{"CHAT_PING_AFTER", "3600"}}).config.ping_after_ms, 3600000);
  for (const char* bad : {"0", "00", "-1", "2.5", "3601", "soon"}) {
    EXPECT_NE(parse({"--ping-after", bad}).error, "") << bad;
  }
}

TEST(ConfigOps, CommitWindowInMillisecondsOffByDefault) {
  EXPECT_EQ(parse({}).config.commit_window_ms, 0);
  EXPECT_EQ(parse({"--commit-window", "2"}).config.commit_window_ms, 2);
  EXPECT_EQ(parse({}, {{"CHAT_COMMIT_WINDOW", "100"}}).config.commit_window_ms, 100);
  for (const char* bad : {"-1", "1.5", "101", "soon"}) {
    EXPECT_NE(parse({"--commit-window", bad}).error, "") << bad;
  }
  EXPECT_NE(parse({"--commit-window", "2", "--redis", "redis://127.0.0.1:6379"}).error, "") << "no group commit on a cluster";
  EXPECT_EQ(parse({"--commit-window", "0", "--redis", "redis://127.0.0.1:6379"}).error, "");
}

TEST(ConfigOps, MetricsListenIsOffUnlessGiven) {
  EXPECT_EQ(parse({}).config.metrics_port, -1);
  const auto v4 = parse({"--metrics-listen", "127.0.0.1:9100"});
  ASSERT_EQ(v4.error, "");
  EXPECT_EQ(v4.config.metrics_host, "127.0.0.1");
  EXPECT_EQ(v4.config.metrics_port, 9100);
  const auto v6 = parse({}, {{"CHAT_METRICS_LISTEN", "[::1]:0"}});
  ASSERT_EQ(v6.error, "");
  EXPECT_EQ(v6.config.metrics_host, "::1");
  EXPECT_EQ(v6.config.metrics_port, 0);
}

TEST(ConfigOps, MetricsListenWantsAnAddressAndAPort) {
  for (const char* bad : {"9100", ":9100", "localhost:9100", "::1:9100", "[::1]", "[::1]:", "127.0.0.1:70000",
                          "127.0.0.1:x", "[nope]:9100"}) {
    const auto result = parse({"--metrics-listen", bad});
    EXPECT_NE(result.error.find("--metrics-listen wants ADDRESS:PORT"), std::string::npos) << bad << ": " << result.error;
  }
}

TEST(ConfigOps, RateLimitsQueueAndNameGraceAreTunable) {
  const auto defaults = parse({});
  EXPECT_EQ(defaults.config.rates.lines_per_second, RateLimits{}.lines_per_second);
  EXPECT_EQ(defaults.config.max_queued_bytes, 4u * 1024 * 1024);
  EXPECT_EQ(defaults.config.name_grace_ms, 60'000);
  const auto set = parse({"--lines-per-second", "5", "--line-burst=50", "--bytes-per-second", "1024.5", "--byte-burst",
                          "65536", "--requests-per-second", "0.5", "--request-burst", "7", "--max-queued-bytes",
                          "2097152", "--name-grace", "300"});
  ASSERT_EQ(set.error, "");
  EXPECT_EQ(set.config.rates.lines_per_second, 5);
  EXPECT_EQ(set.config.rates.line_burst, 50);
  EXPECT_EQ(set.config.rates.bytes_per_second, 1024.5);
  EXPECT_EQ(set.config.rates.byte_burst, 65536);
  EXPECT_EQ(set.config.rates.requests_per_second, 0.5);
  EXPECT_EQ(set.config.rates.request_burst, 7);
  EXPECT_EQ(set.config.max_queued_bytes, 2u * 1024 * 1024);
  EXPECT_EQ(set.config.name_grace_ms, 300'000);
  const auto env = parse({}, {{"CHAT_LINE_BURST", "10"}, {"CHAT_MAX_QUEUED_BYTES", "1048576"}, {"CHAT_NAME_GRACE", "0"}});
  ASSERT_EQ(env.error, "");
  EXPECT_EQ(env.config.rates.line_burst, 10);
  EXPECT_EQ(env.config.max_queued_bytes, 1024u * 1024);
  EXPECT_EQ(env.config.name_grace_ms, 0);
}

TEST(ConfigOps, TunablesRefuseNonsense) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--lines-per-second", "0"}, {"--line-burst", "-3"}, {"--bytes-per-second", "fast"},
           {"--request-burst", "1e12"}, {"--max-queued-bytes", "1000"}, {"--max-queued-bytes", "4MiB"},
           {"--name-grace", "86401"}, {"--name-grace", "1.5"}}) {
    EXPECT_NE(parse(args).error, "") << args[0] << " " << args[1];
  }
}

}  // namespace
}  // namespace chat
