// --log-format json on the real server: every line it writes on stderr, its own and libwebsockets'
// (debug level), is one JSON object with time, level and an event or a message, even when the
// logged text came from a hostile peer (quotes, bytes that are not UTF-8).
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "chat_fixture.hpp"

namespace chat_it {
namespace {

class JsonLogTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--log-format", "json", "--log-level", "debug"}; }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(JsonLogTest, EveryStderrLineIsAJsonObject) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  expect_served("general", {alice.get(), bob.get()});
  HandshakeOptions hostile;
  hostile.origin = std::string("http://\"quoted\\\xff\xfe.example");  // logged when refused
  (void)refused_with_status(port(), hostile, 403);
  alice->close();
  ASSERT_EQ(server().stop(), 0) << server().output();

  const std::string log = server().log();
  ASSERT_FALSE(log.empty());
  ASSERT_EQ(log.back(), '\n');
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  bool saw_start = false, saw_lws = false, saw_refusal = false;
  for (const std::string& line : lines_of(log)) {
    const auto json = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(json.is_object()) << "not a JSON object: " << line;
    ASSERT_TRUE(json.contains("time") && json["time"].is_string()) << line;
    EXPECT_TRUE(std::regex_match(json["time"].get<std::string>(), kTime)) << line;
    ASSERT_TRUE(json.contains("level") && json["level"].is_string()) << line;
    const std::string level = json["level"];
    EXPECT_TRUE(level == "error" || level == "warn" || level == "info" || level == "debug") << line;
    EXPECT_TRUE(json.contains("event") != json.contains("message")) << "an event or a message: " << line;
    for (const auto& [key, value] : json.items()) EXPECT_TRUE(value.is_string()) << key << " in " << line;
    const std::string message = json.value("message", "");
    saw_start |= json.value("event", "") == "starting" && json.value("version", "").rfind("chat_server ", 0) == 0;
    saw_lws |= message.rfind("lws: ", 0) == 0;
    saw_refusal |= message.find("origin http://\"quoted\\") != std::string::npos;
  }
  EXPECT_TRUE(saw_start) << "no starting event with the version\n" << log;
  EXPECT_TRUE(saw_lws) << "no libwebsockets line at debug level\n" << log;
  EXPECT_TRUE(saw_refusal) << "the refused origin was not logged\n" << log;
}

using TextLogTest = ChatServerTest;

TEST_F(TextLogTest, TheDefaultLogIsTextAsBefore) {
  server().stop();
  const std::string log = server().log();
  static const std::regex kLine(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (error|warn|info|debug) .+)");
  for (const std::string& line : lines_of(log)) EXPECT_TRUE(std::regex_match(line, kLine)) << line;
  EXPECT_NE(log.find(" info starting version=chat_server "), std::string::npos) << log;
}

}  // namespace
}  // namespace chat_it
