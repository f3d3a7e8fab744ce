// The two log line formats: text unchanged for people, JSON that any parser reads back exactly,
// whatever bytes a message carries (a peer's Origin header, libwebsockets' own text).
#include "server/log_format.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace chat {
namespace {

LogRecord record_at(std::string_view level, std::string_view message) {
  LogRecord record;
  record.time = {1796083199, 123'456'789};  // 2026-11-30T23:59:59.123Z
  record.level = level;
  record.message = message;
  return record;
}

nlohmann::json parse_line(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  return nlohmann::json::parse(line, nullptr, false);
}

TEST(LogFormat, NamesAreTextAndJsonOnly) {
  EXPECT_EQ(log_format_from_string("text"), LogFormat::text);
  EXPECT_EQ(log_format_from_string("json"), LogFormat::json);
  EXPECT_FALSE(log_format_from_string("JSON"));
  EXPECT_FALSE(log_format_from_string(""));
}

TEST(LogFormat, TextIsTheLineOfBefore) {
  EXPECT_EQ(format_log_record(LogFormat::text, record_at("info", "store: data/chat.db, 3 rooms")),
            "2026-11-30T23:59:59Z info store: data/chat.db, 3 rooms\n");
}

TEST(LogFormat, TextShowsAnEventsFieldsAsKeyEqualsValue) {
  LogRecord record = record_at("info", "");
  record.event = "starting";
  record.fields = {{"version", "chat_server 0.3.0"}, {"pid", "42"}};
  EXPECT_EQ(format_log_record(LogFormat::text, record),
            "2026-11-30T23:59:59Z info starting version=chat_server 0.3.0 pid=42\n");
}

TEST(LogFormat, JsonHasTimeLevelAndMessage) {
  const auto json = parse_line(format_log_record(LogFormat::json, record_at("warn", "session 7: slow")));
  ASSERT_TRUE(json.is_object());
  EXPECT_EQ(json, nlohmann::json({{"time", "2026-11-30T23:59:59.123Z"}, {"level", "warn"}, {"message", "session 7: slow"}}));
}

TEST(LogFormat, JsonHasAnEventsFieldsAsKeys) {
  LogRecord record = record_at("info", "");
  record.event = "starting";
  record.fields = {{"version", "chat_server 0.3.0 (commit unknown)"}};
  const auto json = parse_line(format_log_record(LogFormat::json, record));
  EXPECT_EQ(json, nlohmann::json({{"time", "2026-11-30T23:59:59.123Z"},
                                  {"level", "info"},
                                  {"event", "starting"},
                                  {"version", "chat_server 0.3.0 (commit unknown)"}}));
}

TEST(LogFormat, JsonKeepsAnyMessageOnOneParsableLine) {
  struct Case {
    std::string message;
    std::string read_back;
  };
  const Case cases[] = {
      {"quote \" and backslash \\", "quote \" and backslash \\"},
      {"two\nlines\r\n", "two\nlines\r\n"},
      {std::string("nul \0 tab \t bell \x07 esc \x1b[31m", 27), std::string("nul \0 tab \t bell \x07 esc \x1b[31m", 27)},
      {"accents \xc3\xa9t\xc3\xa9, \xce\xb1\xce\xb2, \xf0\x9f\x98\x80", "accents \xc3\xa9t\xc3\xa9, \xce\xb1\xce\xb2, \xf0\x9f\x98\x80"},
      {"C1 control \xc2\x9b", "C1 control \xc2\x9b"},
      // Not UTF-8 (a stray byte, a surrogate, a sequence cut by the 1 KiB message cap): U+FFFD.
      {"origin \xff\xfe!", "origin \xef\xbf\xbd\xef\xbf\xbd!"},
      {"surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
      {"cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd"},
  };
  for (const auto& c : cases) {
    const std::string line = format_log_record(LogFormat::json, record_at("info", c.message));
    const auto json = parse_line(line);
    ASSERT_TRUE(json.is_object()) << line;
    EXPECT_EQ(json["message"], c.read_back) << line;
    for (const unsigned char byte : line.substr(0, line.size() - 1)) EXPECT_GE(byte, 0x20) << line;
  }
  EXPECT_EQ(json_quote("\x1b\x7f\xc2\x85"), "\"\\u001b\\u007f\\u0085\"");
}

}  // namespace
}  // namespace chat
