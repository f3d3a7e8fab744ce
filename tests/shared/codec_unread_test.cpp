// The codec's frames for read markers, unread counts, mentions and typing (docs/PROTOCOL.md,
// "Unread, mentions and typing"): exact bytes, round trips, refusals, and the seed's chat line
// unchanged when no one is mentioned.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec_test_support.hpp"
#include "shared/codec.hpp"

namespace chat {
namespace {

using namespace codec_test;

TEST(CodecUnreadClient, EachNewFrameHasItsExactBytes) {
  EXPECT_EQ(encode(ClientFrame{MarkRead{"general", 42}}), R"({"action":"mark_read","room":"general","id":42})");
  EXPECT_EQ(encode(ClientFrame{MarkRead{"", 7, "bob"}}, "3"), R"({"action":"mark_read","dm":"bob","id":7,"request_id":3})");
  EXPECT_EQ(encode(ClientFrame{Typing{"general"}}), R"({"action":"typing","room":"general"})");
  EXPECT_EQ(encode(ClientFrame{Typing{"", "bob"}}), R"({"action":"typing","dm":"bob"})");
}

TEST(CodecUnreadClient, DecodesWhatItEncodes) {
  const auto mark = decoded_client<MarkRead>(R"({"action":"mark_read","room":"general","id":42})");
  EXPECT_EQ(mark.room, "general");
  EXPECT_EQ(mark.id, 42);
  EXPECT_EQ(mark.dm, "");
  const auto dm_mark = decoded_client<MarkRead>(R"({"id":0,"dm":"bob","action":"mark_read"})");
  EXPECT_EQ(dm_mark.dm, "bob");
  EXPECT_EQ(dm_mark.room, "");
  EXPECT_EQ(dm_mark.id, 0);
  EXPECT_EQ(decoded_client<Typing>(R"({"action":"typing","room":"jeux"})").room, "jeux");
  EXPECT_EQ(decoded_client<Typing>(R"({"action":"typing","dm":"bob"})").dm, "bob");
}

TEST(CodecUnreadClient, RefusesWhatIsMissingOrWrong) {
  EXPECT_EQ(client_error(R"({"action":"mark_read","room":"general"})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"mark_read","id":4})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"mark_read","room":"general","id":-1})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"mark_read","room":"general","id":"4"})"), ErrorCode::wrong_type);
  EXPECT_EQ(client_error(R"({"action":"mark_read","room":"general","dm":"bob","id":4})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"mark_read","dm":"","id":4})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"typing"})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"typing","room":3})"), ErrorCode::wrong_type);
  EXPECT_EQ(client_error(R"({"action":"typing","room":"a","dm":"bob"})"), ErrorCode::bad_value);
}

TEST(CodecUnreadServer, UnreadFrameHasItsExactBytes) {
  const UnreadFrame frame{{UnreadCount{"general", "", 41, 3, false}, UnreadCount{"", "bob", 7, 1, true}}, "\"m1\""};
  EXPECT_EQ(encode(ServerFrame{frame}),
            R"({"action":"unread","unread":[{"room":"general","last_read_id":41,"count":3,"mention":false},)"
            R"({"dm":"bob","last_read_id":7,"count":1,"mention":true}],"request_id":"m1"})");
  EXPECT_EQ(encode(ServerFrame{UnreadFrame{}}), R"({"action":"unread","unread":[]})");
}

TEST(CodecUnreadServer, UnreadFrameRoundTrips) {
  const auto frame = decoded_server<UnreadFrame>(
      R"({"action":"unread","unread":[{"room":"general","last_read_id":41,"count":3,"mention":false},)"
      R"({"dm":"bob","last_read_id":7,"count":1000,"mention":true}],"request_id":5})");
  ASSERT_EQ(frame.unread.size(), 2u);
  EXPECT_EQ(frame.unread[0].room, "general");
  EXPECT_EQ(frame.unread[0].last_read_id, 41);
  EXPECT_EQ(frame.unread[0].count, 3);
  EXPECT_FALSE(frame.unread[0].mention);
  EXPECT_EQ(frame.unread[1].dm, "bob");
  EXPECT_EQ(frame.unread[1].count, 1000);
  EXPECT_TRUE(frame.unread[1].mention);
  EXPECT_EQ(frame.request_id, "5");
  EXPECT_EQ(server_error(R"({"action":"unread"})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"unread","unread":[{"count":1}]})"), ErrorCode::missing_field);
  EXPECT_EQ(server_error(R"({"action":"unread","unread":[3]})"), ErrorCode::wrong_type);
}

TEST(CodecUnreadServer, TypingFrameHasItsExactBytesAndRoundTrips) {
  EXPECT_EQ(encode(ServerFrame{TypingFrame{"general", "", "bob"}}), R"({"action":"typing","room":"general","user":"bob"})");
  EXPECT_EQ(encode(ServerFrame{TypingFrame{"", "bob", "bob"}}), R"({"action":"typing","dm":"bob","user":"bob"})");
  const auto in_room = decoded_server<TypingFrame>(R"({"action":"typing","room":"general","user":"bob"})");
  EXPECT_EQ(in_room.room, "general");
  EXPECT_EQ(in_room.user, "bob");
  EXPECT_EQ(decoded_server<TypingFrame>(R"({"action":"typing","dm":"bob","user":"bob"})").dm, "bob");
  EXPECT_EQ(server_error(R"({"action":"typing","room":"general"})"), ErrorCode::missing_field);
}

TEST(CodecUnreadServer, MentionsTravelWithV2ChatLinesOnly) {
  ChatLine line{9, 1700000000000, "bob", "@alice @Carol look", {"alice", "Carol"}};
  EXPECT_EQ(encode(ServerFrame{chat_line("general", line, true)}),
            R"({"action":"message","message":"bob: @alice @Carol look","event":"chat","user":"bob","room":"general",)"
            R"("id":9,"ts":1700000000000,"text":"@alice @Carol look","mentions":["alice","Carol"]})");
  // The seed's line is the same bytes whoever is mentioned.
  EXPECT_EQ(encode(ServerFrame{chat_line("general", line, false)}),
            R"({"action":"message","message":"bob: @alice @Carol look","event":"chat","user":"bob","room":"general"})");
  line.mentions.clear();
  EXPECT_EQ(encode(ServerFrame{chat_line("general", line, true)}).find("mentions"), std::string::npos);

  const auto message = decoded_server<MessageFrame>(encode(ServerFrame{chat_line("general", ChatLine{9, 5, "bob", "@alice", {"alice"}}, true)}));
  EXPECT_EQ(message.mentions, std::vector<std::string>{"alice"});
}

TEST(CodecUnreadServer, HistoryLinesCarryTheirMentions) {
  const HistoryFrame frame{"general", {ChatLine{1, 5, "bob", "hi", {}}, ChatLine{2, 6, "bob", "@alice", {"alice"}}}, false, "", ""};
  const std::string json = encode(ServerFrame{frame});
  EXPECT_EQ(json, R"({"action":"history","room":"general","lines":[{"id":1,"ts":5,"user":"bob","text":"hi"},)"
                  R"({"id":2,"ts":6,"user":"bob","text":"@alice","mentions":["alice"]}],"more":false})");
  const auto decoded = decoded_server<HistoryFrame>(json);
  ASSERT_EQ(decoded.lines.size(), 2u);
  EXPECT_TRUE(decoded.lines[0].mentions.empty());
  EXPECT_EQ(decoded.lines[1].mentions, std::vector<std::string>{"alice"});
}

}  // namespace
}  // namespace chat
