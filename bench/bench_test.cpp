// Unit tests of what the benchmark's figures rest on: framing and handshake, the chat-text layout,
// the frame scanner checked against chat_shared's encoder, sequence checks and percentiles.
#include <gtest/gtest.h>

#include "bench/chat_text.hpp"
#include "bench/delivery_check.hpp"
#include "bench/latency_histogram.hpp"
#include "bench/soak_ledger.hpp"
#include "bench/ws_codec.hpp"
#include "bench/ws_connection.hpp"
#include "shared/codec.hpp"

namespace bench {
namespace {

TEST(WsCodec, MaskedFramesOfEveryLengthClassRoundTrip) {
  for (const std::size_t size : {0, 1, 125, 126, 65535, 65536, 70000}) {
    const std::string payload(size, 'x');
    std::string wire;
    append_frame(wire, Opcode::text, payload, 0x12345678);
    FrameView frame;
    std::size_t used = 0;
    ASSERT_EQ(parse_frame(wire.data(), wire.size(), true, frame, used), ParseStatus::frame) << size;
    EXPECT_EQ(used, wire.size());
    EXPECT_EQ(frame.payload, payload);
    EXPECT_TRUE(frame.fin);
    EXPECT_EQ(parse_frame(wire.data(), wire.size() - 1, true, frame, used), ParseStatus::incomplete);
  }
}

TEST(WsCodec, ServerFramesMustNotBeMaskedNorUseReservedBits) {
  std::string wire;
  append_frame(wire, Opcode::text, "hi", 0x01020304);
  FrameView frame;
  std::size_t used = 0;
  EXPECT_EQ(parse_frame(wire.data(), wire.size(), false, frame, used), ParseStatus::error);
  std::string rsv = "\xC1\x02hi";  // RSV1 set: permessage-deflate, which we never offered
  EXPECT_EQ(parse_frame(rsv.data(), rsv.size(), false, frame, used), ParseStatus::error);
}

TEST(WsCodec, AcceptMatchesRfc6455Example) {
  EXPECT_EQ(websocket_accept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  const std::string ok = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
  EXPECT_TRUE(upgrade_response_ok(ok, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
  EXPECT_FALSE(upgrade_response_ok(ok, "wrong"));
  EXPECT_FALSE(upgrade_response_ok("HTTP/1.1 404 Not Found\r\n", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

class RecordingOwner : public ConnectionOwner {
 public:
  std::vector<std::string> texts;
  std::string failure;
  void on_open(WsConnection&, std::int64_t) override {}
  void on_text(WsConnection&, std::string_view payload, std::int64_t) override { texts.emplace_back(payload); }
  void on_failed(WsConnection&, const std::string& why) override { failure = why; }
};

TEST(WsConnection, JoinsFragmentsAndKeepsAnIncompleteTail) {
  RecordingOwner owner;
  WsConnection connection(owner, 1);
  connection.force_open();
  // Text "abc" not final, continuation "de", final continuation "f", then a whole frame "gh".
  std::string bytes = {'\x01', '\x03', 'a', 'b', 'c', '\x00', '\x02', 'd', 'e', '\x80', '\x01', 'f',
                       '\x81', '\x02', 'g', 'h'};
  std::size_t used = 0;
  connection.consume(bytes.data(), bytes.size() - 1, 0, used);  // the last frame is cut short
  EXPECT_EQ(owner.texts, std::vector<std::string>{"abcdef"});
  EXPECT_EQ(used, bytes.size() - 4);
  connection.consume(bytes.data() + used, bytes.size() - used, 0, used);
  EXPECT_EQ(owner.texts, (std::vector<std::string>{"abcdef", "gh"}));
  EXPECT_EQ(connection.frames_received(), 2u);
  EXPECT_TRUE(owner.failure.empty()) << owner.failure;
}

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

TEST(ChatText, ClientFramesAreWhatChatSharedEncodes) {
  const std::string text = make_chat_text({3, 4, 5, 6});
  EXPECT_EQ(login_frame("b3"), chat::encode(chat::ClientFrame{chat::Login{"b3", 1}}));
  EXPECT_EQ(login_frame("b3", 2), chat::encode(chat::ClientFrame{chat::Login{"b3", 2}}));
  EXPECT_EQ(history_frame("r1"), chat::encode(chat::ClientFrame{chat::History{"r1"}}));
  EXPECT_EQ(create_room_frame("r1"), chat::encode(chat::ClientFrame{chat::CreateRoom{"r1"}}));
  EXPECT_EQ(join_room_frame("r1"), chat::encode(chat::ClientFrame{chat::JoinRoom{"r1"}}));
  EXPECT_EQ(send_message_frame(text), chat::encode(chat::ClientFrame{chat::SendMessage{text}}));
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
}

TEST(ChatText, PresenceIsNotOurOwnJoinAndRefusalsNameTheirCode) {
  // v2 presence frames say "event":"joined" about someone else.
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::PresenceFrame{"r1", "c5", true}})), FrameKind::presence);
  EXPECT_EQ(classify_frame(chat::encode(chat::ServerFrame{chat::PresenceFrame{"r1", "c5", false}})), FrameKind::presence);
  const std::string refused = chat::encode(chat::ServerFrame{chat::refusal({chat::ErrorCode::rate_limited, "slow down"})});
  EXPECT_EQ(error_code(refused), "rate_limited");
  EXPECT_EQ(error_code(R"({"action":"rooms","rooms":["general"]})"), "");
}

TEST(StreamCheck, AWindowStartsAtTheFirstLineSeen) {
  DeliveryCounts counts;
  StreamCheck stream(40);
  EXPECT_TRUE(stream.receive(40, counts));
  EXPECT_TRUE(stream.receive(42, counts));  // 41 missing
  EXPECT_EQ(stream.gaps(), 1u);
  EXPECT_EQ(counts.received, 2u);
  EXPECT_EQ(counts.lost, 0u);  // not yet: it may still come
}

// Room 0: full receivers 1 and 2, sender 1 (also a receiver) and a churner 7 that vanishes.
class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    room_ = ledger_.add_room();
    ledger_.add_full_receiver(room_, 1);
    ledger_.add_full_receiver(room_, 2);
    ledger_.add_sender(1, room_);
  }
  DeliveryLedger ledger_;
  std::uint32_t room_ = 0;
};

TEST_F(LedgerTest, EveryLineAtEveryFullReceiverOrItIsLost) {
  for (int i = 0; i < 3; ++i) ledger_.take_seq(1);
  EXPECT_EQ(ledger_.outstanding(), 6u);
  for (const std::uint32_t seq : {0u, 1u, 2u}) EXPECT_EQ(ledger_.receive(1, 1, seq), DeliveryLedger::Receipt::first);
  EXPECT_EQ(ledger_.receive(2, 1, 0), DeliveryLedger::Receipt::first);
  EXPECT_EQ(ledger_.receive(2, 1, 0), DeliveryLedger::Receipt::duplicate);
  EXPECT_EQ(ledger_.receive(2, 1, 3), DeliveryLedger::Receipt::not_sent_yet);
  EXPECT_EQ(ledger_.echoed(1), 3u);
  EXPECT_EQ(ledger_.outstanding(), 2u);
  const DeliveryCounts counts = ledger_.reckon_full();
  EXPECT_EQ(counts.lost, 2u);  // receiver 2 never got lines 1 and 2
  EXPECT_EQ(counts.duplicated, 1u);
}

TEST_F(LedgerTest, AVanishedSenderCountsWhatItsReceiversAgreeOn) {
  ledger_.add_sender(7, room_);
  for (int i = 0; i < 3; ++i) ledger_.take_seq(7);  // the third one the server may never have read
  ledger_.receive(1, 7, 0);
  ledger_.receive(1, 7, 1);
  ledger_.receive(2, 7, 0);
  ledger_.vanished(7);
  EXPECT_EQ(ledger_.outstanding(), 0u);  // nothing more is awaited from it
  EXPECT_EQ(ledger_.reckon_full().lost, 1u);  // receiver 1 got line 1: receiver 2 lost it
}

TEST_F(LedgerTest, WindowReceiversAnswerForTheLinesInsideTheirWindow) {
  ledger_.add_window_receiver(9);
  for (int i = 0; i < 5; ++i) ledger_.take_seq(1);
  EXPECT_EQ(ledger_.receive(9, 1, 2), DeliveryLedger::Receipt::first);  // arrived in the middle
  EXPECT_EQ(ledger_.receive(9, 1, 4), DeliveryLedger::Receipt::first);  // 3 missing
  const DeliveryCounts window = ledger_.close_window(9);
  EXPECT_EQ(window.received, 2u);
  EXPECT_EQ(window.lost, 1u);
  EXPECT_EQ(ledger_.receive(9, 1, 4), DeliveryLedger::Receipt::not_receiver);  // gone
  EXPECT_EQ(ledger_.receive(2, 5, 0), DeliveryLedger::Receipt::unknown_sender);
}

TEST(StreamCheck, CountsLossDuplicatesAndReordering) {
  DeliveryCounts counts;
  StreamCheck stream;
  EXPECT_TRUE(stream.receive(0, counts));
  EXPECT_TRUE(stream.receive(2, counts));   // 1 overtaken
  EXPECT_TRUE(stream.receive(1, counts));   // late: reordered
  EXPECT_FALSE(stream.receive(1, counts));  // again: duplicate
  EXPECT_TRUE(stream.receive(4, counts));   // 3 never comes
  stream.finish(7, counts);                 // 5 and 6 sent, never received
  EXPECT_EQ(counts.received, 4u);
  EXPECT_EQ(counts.reordered, 1u);
  EXPECT_EQ(counts.duplicated, 1u);
  EXPECT_EQ(counts.lost, 3u);
}

TEST(LatencyHistogram, PercentilesWithinTwoPercent) {
  LatencyHistogram histogram;
  for (std::int64_t v = 1; v <= 100000; ++v) histogram.record(v * 1000);  // 1 us .. 100 ms
  EXPECT_EQ(histogram.count(), 100000u);
  EXPECT_EQ(histogram.max(), 100'000'000);
  EXPECT_NEAR(static_cast<double>(histogram.percentile(0.5)), 50e6, 50e6 * 0.02);
  EXPECT_NEAR(static_cast<double>(histogram.percentile(0.99)), 99e6, 99e6 * 0.02);
  EXPECT_EQ(histogram.percentile(1.0), 100'000'000);
}

}  // namespace
}  // namespace bench
