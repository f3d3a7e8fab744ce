// Parsing of the operations flags: --shutdown-grace, --metrics-listen (and their variables).
#include "server/config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace chat {
namespace {

CommandLine parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_command_line(args, [env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(ConfigOps, ShutdownGraceInSeconds) {
  EXPECT_EQ(parse({}).config.shutdown_grace_ms, 2000);
  EXPECT_EQ(parse({"--shutdown-grace", "30"}).config.shutdown_grace_ms, 30000);
  EXPECT_EQ(parse({}, {{"CHAT_SHUTDOWN_GRACE", "0"}}).config.shutdown_grace_ms, 0);
  for (const char* bad : {"-1", "2.5", "3601", "soon"}) {
    EXPECT_NE(parse({"--shutdown-grace", bad}).error, "") << bad;
  }
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

}  // namespace
}  // namespace chat
