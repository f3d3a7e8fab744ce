// The Redis forms of read markers and typing (redis_marker_codec): round trips whatever a room or
// a name holds, and malformed values from Redis or a peer refused rather than misread.
#include <gtest/gtest.h>

#include "redis_reply_builders.hpp"
#include "server/engine/redis/redis_marker_codec.hpp"
#include "server/ports/store.hpp"

namespace chat::redis {
namespace {

using namespace test_replies;

TEST(RedisMarkerCodecTest, AMarkerValueRoundTripsForAnyRoomName) {
  for (const std::string& room : std::vector<std::string>{"general", "a:b:c", dm_room_name(3, 5), "ｃａｆé"}) {
    const auto marker = decode_marker(room, encode_marker_value(41, 17));
    ASSERT_TRUE(marker) << room;
    EXPECT_EQ(room, marker->room);
    EXPECT_EQ(41, marker->last_read_id);
    EXPECT_EQ(17, marker->last_mention_id);
  }
  EXPECT_EQ("0:9", encode_marker_value(0, 9));
}

TEST(RedisMarkerCodecTest, MalformedMarkerValuesAreRefused) {
  for (const std::string value : {"", "5", "5:", ":5", "5:x", "-1:2", "1:2:3", "1 :2", "1234567890123456789:1"}) {
    EXPECT_FALSE(decode_marker("general", value)) << value;
  }
  EXPECT_FALSE(decode_marker("", "1:2"));
  EXPECT_FALSE(decode_marker("bad\xff", "1:2"));
  EXPECT_FALSE(decode_marker(std::string(1025, 'r'), "1:2"));
}

TEST(RedisMarkerCodecTest, AnAccountsMarkersAreReadAndBrokenOnesSkipped) {
  std::size_t skipped = 99;
  const auto markers = decode_markers(array({str("general"), str("3:1"), str("bad\xff"), str("1:1"), str("open"),
                                             str("nonsense"), str("secret"), str("0:8")}),
                                      skipped);
  ASSERT_TRUE(markers);
  EXPECT_EQ(2u, skipped);
  ASSERT_EQ(2u, markers->size());
  EXPECT_EQ("general", (*markers)[0].room);
  EXPECT_EQ(3, (*markers)[0].last_read_id);
  EXPECT_EQ("secret", (*markers)[1].room);
  EXPECT_EQ(8, (*markers)[1].last_mention_id);

  const auto none = decode_markers(array({}), skipped);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(decode_markers(str("3:1"), skipped));
  EXPECT_FALSE(decode_markers(array({str("general")}), skipped));  // a field without its value
  EXPECT_FALSE(decode_markers(RedisReply::error("ERR"), skipped));
}

TEST(RedisMarkerCodecTest, TheRaisedMessageRoundTripsWhateverTheRoomHolds) {
  for (const std::string& room : std::vector<std::string>{"general", "a:b:c", dm_room_name(3, 5)}) {
    const std::string payload = encode_marker_raised(MarkerRaised{7, room, 120});
    const auto raised = decode_marker_raised(payload);
    ASSERT_TRUE(raised) << payload;
    EXPECT_EQ(7, raised->account);
    EXPECT_EQ(room, raised->room);
    EXPECT_EQ(120, raised->last_read_id);
  }
  EXPECT_EQ("7:120:general", encode_marker_raised(MarkerRaised{7, "general", 120}));
}

TEST(RedisMarkerCodecTest, MalformedRaisedMessagesAreRefused) {
  for (const std::string payload : {"", "7", "7:", "7:120", "7:120:", "0:1:general", "x:1:general", "7:-1:general",
                                    "7:x:general", ":1:general", "7:1:bad\xff"}) {
    EXPECT_FALSE(decode_marker_raised(payload)) << payload;
  }
}

TEST(RedisMarkerCodecTest, TheTypingMessageRoundTripsWhateverTheRoomAndNameHold) {
  for (const auto& [room, user] : std::vector<std::pair<std::string, std::string>>{
           {"general", "alice"}, {"a:b", "c:d"}, {dm_room_name(3, 5), "Bob"}, {"12", "34"}}) {
    const std::string payload = encode_typing(TypingMessage{"0a1b2c3d4e5f", room, user});
    const auto typing = decode_typing(payload);
    ASSERT_TRUE(typing) << payload;
    EXPECT_EQ("0a1b2c3d4e5f", typing->node);
    EXPECT_EQ(room, typing->room);
    EXPECT_EQ(user, typing->user);
  }
  EXPECT_EQ("n1:7:generalalice", encode_typing(TypingMessage{"n1", "general", "alice"}));
}

TEST(RedisMarkerCodecTest, MalformedTypingMessagesAreRefused) {
  for (const std::string payload : {"", "n1", "n1:", "n1:7", "n1:7:general", "n1:12:generalalice" /* no user left */,
                                    "n1:99:generalalice", ":7:generalalice", "n 1:7:generalalice", "n1:x:generalalice",
                                    "n1:0:alice", "n1:7:generalbad\xff", "n1:-7:generalalice"}) {
    EXPECT_FALSE(decode_typing(payload)) << payload;
  }
  EXPECT_FALSE(decode_typing(std::string(65, 'n') + ":7:generalalice"));
  EXPECT_FALSE(decode_typing("n1:7:general" + std::string(1025, 'u')));
}

}  // namespace
}  // namespace chat::redis
