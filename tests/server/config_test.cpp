// Command-line and environment parsing of the server's settings.
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

TEST(Config, DefaultsServeLoopbackOn8080) {
  const auto result = parse({});
  EXPECT_TRUE(result.error.empty());
  EXPECT_EQ(result.config.host, "127.0.0.1");
  EXPECT_EQ(result.config.port, 8080);
  EXPECT_FALSE(result.show_help);
}

TEST(Config, FlagsInBothForms) {
  const auto result = parse({"--host", "0.0.0.0", "--port=9000", "--web-root", "/srv/web",
                             "--data-dir=/var/chat", "--log-level", "debug"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.host, "0.0.0.0");
  EXPECT_EQ(result.config.port, 9000);
  EXPECT_EQ(result.config.web_root, "/srv/web");
  EXPECT_EQ(result.config.data_dir, "/var/chat");
  EXPECT_EQ(result.config.log_level, LogLevel::debug);
}

TEST(Config, EnvironmentGivesDefaultsFlagsOverride) {
  const auto result = parse({"--port", "7000"}, {{"CHAT_PORT", "6000"}, {"CHAT_HOST", "::1"}});
  ASSERT_TRUE(result.error.empty());
  EXPECT_EQ(result.config.port, 7000);
  EXPECT_EQ(result.config.host, "::1");
}

TEST(Config, RefusesBadValuesAndUnknownFlags) {
  EXPECT_NE(parse({"--port", "http"}).error, "");
  EXPECT_NE(parse({"--port", "70000"}).error, "");
  EXPECT_NE(parse({"--port", "-1"}).error, "");
  EXPECT_NE(parse({"--port"}).error, "");
  EXPECT_NE(parse({"--log-level", "loud"}).error, "");
  EXPECT_NE(parse({"--colour"}).error, "");
  EXPECT_NE(parse({}, {{"CHAT_PORT", "x"}}).error, "");
}

TEST(Config, HelpListsEveryFlag) {
  EXPECT_TRUE(parse({"--help"}).show_help);
  EXPECT_TRUE(parse({"-h"}).show_help);
  const std::string text = usage();
  for (const char* flag : {"--host", "--port", "--web-root", "--data-dir", "--log-level", "--help"}) {
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace chat
