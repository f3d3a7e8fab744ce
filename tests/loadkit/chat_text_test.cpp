// The chat-text layout and the frame scanner, checked against chat_shared's encoder: a change in
// the server's format shows up here, not as silently uncounted lines in a benchmark.
#include <gtest/gtest.h>

#include "shared/codec.hpp"
#include "tests/loadkit/chat_text.hpp"

namespace loadkit {
namespace {

TEST(ChatText, RoundTripsAt64Bytes) {
  const ChatStamp stamp{9999999, 4000000000u, 123456789012345678, 4321};
  const std::string text = make_chat_text(stamp);
  ASSERT_EQ(text.size(), kChatTextBytes);
  const auto back = parse_chat_text(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sender, stamp.sender);
  EXPECT_EQ(back->seq, stamp.seq);
  EXPECT_EQ(back->scheduled_ns, stamp.scheduled_ns);
  EXPECT_EQ(back->lag_ns, stamp.lag_ns);
  EXPECT_FALSE(parse_chat_text(text.substr(1)));
}

TEST(ChatText, BulkyTextsCarryTheStampAndNothingButPadding) {
  const std::string text = make_chat_text({12, 34, 56, 78}, 3000);
  ASSERT_EQ(text.size(), 3000u);
  const auto back = parse_chat_text(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sender, 12u);
  EXPECT_EQ(back->seq, 34u);
  EXPECT_FALSE(parse_chat_text(text + "x"));  // something appended to the line: not ours
}

TEST(ChatText, NamesCarryTheirNumber) {
  EXPECT_EQ(number_in_name("b17", 'b'), 17);
  EXPECT_EQ(number_in_name("c0", 'c'), 0);
  EXPECT_EQ(number_in_name("b17", 'c'), -1);
  EXPECT_EQ(number_in_name("b1x", 'b'), -1);
  EXPECT_EQ(number_in_name("b", 'b'), -1);
}

TEST(ChatText, ScannerReadsChatLinesAsTheServerEncodesThem) {
  const std::string text = make_chat_text({17, 42, 1000, 0});
  for (const bool v2 : {false, true}) {
    const std::string json = chat::encode(chat::ServerFrame{chat::chat_line("r0", {7, 8, "b17", text}, v2)});
    ASSERT_EQ(classify_frame(json), FrameKind::chat) << json;
    const auto line = scan_chat_line(json);
    ASSERT_TRUE(line) << json;
    EXPECT_EQ(line->user, "b17");
    EXPECT_EQ(line->text, text);
  }
}

TEST(ChatText, ClassifiesTheSetupReplies) {
  using chat::Event;
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::notice(Event::logged_in, "Welcome, b1!", "b1", "")})),
            FrameKind::logged_in);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::notice(Event::joined, "You joined r1", "", "r1")})),
            FrameKind::joined);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::notice(Event::room_created, "Room r1 created", "", "r1")})),
            FrameKind::room_created);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::refusal({chat::ErrorCode::name_taken, "b1"})})),
            FrameKind::refusal);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::RoomsFrame{{"general", "r1"}}})), FrameKind::other);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::HistoryFrame{"r3", {}, false, ""}})), FrameKind::history);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::MembersFrame{"r3", {"b1"}}})), FrameKind::other);
}

TEST(ChatText, PresenceIsNotOurOwnJoinAndRefusalsNameTheirCode) {
  // v2 presence frames say "event":"joined" about someone else.
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::PresenceFrame{"r1", "c5", true}})), FrameKind::presence);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::PresenceFrame{"r1", "c5", false}})), FrameKind::presence);
  const std::string refused = chat::encode(chat::ServerFrame{chat::refusal({chat::ErrorCode::rate_limited, "slow down"})});
  EXPECT_EQ(error_code(refused), "rate_limited");
  EXPECT_EQ(error_code(R"({"action":"rooms","rooms":["general"]})"), "");
}

}  // namespace
}  // namespace loadkit
