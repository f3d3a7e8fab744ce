// The Redis forms of a chat line: published messages, stream entries, history pages and the
// publish script's answer. Every malformed shape is refused (and, in a page, skipped).
#include <gtest/gtest.h>

#include "server/engine/redis/redis_keys.hpp"
#include "server/engine/redis/redis_line_codec.hpp"
#include "redis_reply_builders.hpp"

namespace chat::redis {
namespace {

using namespace test_replies;

RedisReply entry(const std::string& id, std::vector<std::string> fields) {
  std::vector<RedisReply> values;
  for (auto& field : fields) values.push_back(str(field));
  return array({str(id), array(std::move(values))});
}

RedisReply good_entry(std::int64_t id) {
  return entry(std::to_string(id) + "-0", {"ts", "1700000000000", "user", "ann", "text", "line " + std::to_string(id)});
}

TEST(RedisLineCodec, DecodesAPublishedLine) {
  std::string why;
  const auto line = decode_published("12:0a1b2c:1700000000123:5:a:b:chello: world", why);
  ASSERT_TRUE(line) << why;
  EXPECT_EQ(line->epoch, "0a1b2c");
  EXPECT_EQ(line->line.id, 12);
  EXPECT_EQ(line->line.ts, 1700000000123);
  EXPECT_EQ(line->line.user, "a:b:c");  // the length, not a separator, ends the user
  EXPECT_EQ(line->line.text, "hello: world");
}

TEST(RedisLineCodec, RefusesMalformedPublishedLines) {
  const std::vector<std::string> bad = {
      "", "garbage", "1:e:2", "1:e:2:3", "0:e:1:1:ab", "-1:e:1:1:ab", "x:e:1:1:ab", "1::1:1:ab",
      "1:e-poch:1:1:ab", "1:e:1x:1:ab", "1:e:1:9:ab", "1:e:1:0:text without a user",
      "1:e:1:2:\xff\xfetext", "1:e:1:1:a\xc3", "99999999999999999999:e:1:1:ab",
      "1:" + std::string(kMaxEpochBytes + 1, 'e') + ":1:1:ab",
      "1:e:1:1:a" + std::string(kMaxStoredTextBytes + 1, 'x'),
  };
  for (const auto& payload : bad) {
    std::string why;
    EXPECT_FALSE(decode_published(payload, why)) << payload.substr(0, 60);
    EXPECT_FALSE(why.empty());
  }
}

TEST(RedisLineCodec, DecodesAStreamEntryAndIgnoresUnknownFields) {
  std::string why;
  const auto line = decode_stream_entry(entry("7-0", {"ts", "5", "user", "bo", "text", "", "v", "2"}), why);
  ASSERT_TRUE(line) << why;
  EXPECT_EQ(line->id, 7);
  EXPECT_EQ(line->ts, 5);
  EXPECT_EQ(line->user, "bo");
  EXPECT_EQ(line->text, "");
}

TEST(RedisLineCodec, RefusesCorruptStreamEntries) {
  const std::vector<RedisReply> bad = {
      str("7-0"),
      array({str("7-0")}),
      entry("7-1", {"ts", "5", "user", "bo", "text", "t"}),
      entry("0-0", {"ts", "5", "user", "bo", "text", "t"}),
      entry("1700000000000-*", {"ts", "5", "user", "bo", "text", "t"}),
      entry("7-0", {"ts", "5", "user", "bo"}),
      entry("7-0", {"ts", "five", "user", "bo", "text", "t"}),
      entry("7-0", {"ts", "5", "user", "", "text", "t"}),
      entry("7-0", {"ts", "5", "user", "bo", "text", "\xc0\x80"}),
      entry("7-0", {"ts", "5", "user", "bo", "text"}),
      entry("7-0", {"garbage", "x"}),
      array({str("7-0"), array({str("ts"), integer(5), str("user"), str("bo"), str("text"), str("t")})}),
  };
  for (const auto& reply : bad) {
    std::string why;
    EXPECT_FALSE(decode_stream_entry(reply, why));
    EXPECT_FALSE(why.empty());
  }
}

TEST(RedisLineCodec, HistoryPageNewestFirstIsReturnedOldestFirstWithMore) {
  // XREVRANGE with COUNT limit + 1: ids 9, 8, 7 for a limit of 2.
  const auto page = decode_history(array({good_entry(9), good_entry(8), good_entry(7)}), 2, true, "room");
  ASSERT_EQ(page.lines.size(), 2u);
  EXPECT_EQ(page.lines[0].id, 8);
  EXPECT_EQ(page.lines[1].id, 9);
  EXPECT_TRUE(page.more);
  EXPECT_EQ(page.cursor, 8);
  EXPECT_EQ(page.skipped, 0u);
}

TEST(RedisLineCodec, HistoryPageSkipsCorruptEntriesButKeepsTheCursor) {
  const auto page = decode_history(
      array({good_entry(1), entry("2-0", {"junk", "x"}), good_entry(3), entry("4-0", {"ts", "x"})}), 10, false, "room");
  ASSERT_EQ(page.lines.size(), 2u);
  EXPECT_EQ(page.lines[0].id, 1);
  EXPECT_EQ(page.lines[1].id, 3);
  EXPECT_FALSE(page.more);
  EXPECT_EQ(page.cursor, 4);  // paging on continues past the corrupt entry
  EXPECT_EQ(page.skipped, 2u);
}

TEST(RedisLineCodec, HistoryOfANonArrayIsEmpty) {
  const auto page = decode_history(str("what"), 10, true, "room");
  EXPECT_TRUE(page.lines.empty());
  EXPECT_FALSE(page.more);
}

TEST(RedisLineCodec, PublishResult) {
  std::string why;
  const auto position = decode_publish_result(array({integer(4), str("abc123")}), why);
  ASSERT_TRUE(position) << why;
  EXPECT_EQ(position->id, 4);
  EXPECT_EQ(position->epoch, "abc123");
  EXPECT_FALSE(decode_publish_result(RedisReply::error("OOM command not allowed"), why));
  EXPECT_EQ(why, "OOM command not allowed");
  EXPECT_FALSE(decode_publish_result(array({integer(0), str("abc")}), why));
  EXPECT_FALSE(decode_publish_result(array({str("4"), str("abc")}), why));
  EXPECT_FALSE(decode_publish_result(array({integer(4)}), why));
}

TEST(RedisKeysTest, EveryKindOfKeyEndsWithTheRoom) {
  const RedisKeys keys;
  EXPECT_EQ(keys.meta("lobby"), "chat:meta:lobby");
  EXPECT_EQ(keys.stream("lobby"), "chat:stream:lobby");
  EXPECT_EQ(keys.channel("a:b"), "chat:line:a:b");
  EXPECT_EQ(keys.room_of_channel("chat:line:a:b"), std::optional<std::string>("a:b"));
  EXPECT_FALSE(keys.room_of_channel("chat:line:"));
  EXPECT_FALSE(keys.room_of_channel("other:line:x"));
}

}  // namespace
}  // namespace chat::redis
