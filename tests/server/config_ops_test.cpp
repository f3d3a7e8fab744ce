// Parsing of the operations flags: --shutdown-grace (and its variable).
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

}  // namespace
}  // namespace chat
