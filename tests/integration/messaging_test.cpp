// send_message: who receives a line and how often, the chat text rules, byte-exact UTF-8, and
// per-sender ordering under a burst (docs/PROTOCOL.md "send_message", "Chat text").
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using MessagingTest = ChatServerTest;

TEST_F(MessagingTest, LineReachesEveryMemberOnceAndNoOtherRoom) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  auto dave = connect_as("dave");
  auto guest = connect();  // not logged in, but in general: it receives the room's lines
  dave->send(chat::CreateRoom{"jeux"});
  dave->expect_room_created("jeux");
  for (auto* c : {alice.get(), bob.get(), carol.get(), dave.get(), guest.get()}) c->expect_rooms();
  dave->send(chat::JoinRoom{"jeux"});
  dave->expect_joined("jeux");

  alice->send(chat::SendMessage{"Salut à tous 👋"});
  for (auto* c : {alice.get(), bob.get(), carol.get(), guest.get()}) c->expect_chat("alice", "general", "Salut à tous 👋");
  EXPECT_TRUE(is_documented_frame(  // the seed's chat line plus our fields, in the documented order
      bob->last_raw(),
      R"({"action":"message","message":"alice: Salut à tous 👋","event":"chat","user":"alice","room":"general"})"));
  for (auto* c : {alice.get(), bob.get(), carol.get(), dave.get(), guest.get()}) c->expect_no_frame(milliseconds(200));
}

TEST_F(MessagingTest, TextIsDeliveredByteForByte) {
  const std::string texts[] = {
      "Ça va, Élodie ? Où êtes-vous, garçon, cœur, naïve, Noël",
      "Καλημέρα κόσμε, ελληνικά",
      "Привет, мир! Ёжик в тумане",
      "👨‍👩‍👧‍👦 👩🏽‍💻 🏳️‍🌈 ❤️‍🔥",  // ZWJ sequences, skin tone, variation selectors
      "🇫🇷🇬🇷🇺🇦🇯🇵",                 // flags: regional indicator pairs
      "中文測試，日本語のテキスト，한국어",
      "e\xCC\x81 vs \xC3\xA9, n\xCC\x83, a\xCC\x8A\xCC\x81",  // combining marks, not normalised
      R"(quote " backslash \ slash / braces {"a":[1]})",
      "line separator \xE2\x80\xA8 paragraph \xE2\x80\xA9 end",
      "tab\there\nnew line\r\nwindows line\n",
      "  leading and trailing spaces kept  ",
      "\xEF\xBB\xBF" "BOM first, zero\xE2\x80\x8Bwidth inside",
      "\xF4\x8F\xBF\xBF max code point, \xEE\x80\x80 private use",
  };
  auto alice = connect_as("Zoë 👩🏽");  // no ZWJ: default-ignorable, refused in names
  auto bob = connect_as("Дмитрий");
  for (const auto& text : texts) {
    SCOPED_TRACE(preview(text));
    alice->send(chat::SendMessage{text});
    alice->expect_chat("Zoë 👩🏽", "general", text);
    bob->expect_chat("Zoë 👩🏽", "general", text);
  }
}

TEST_F(MessagingTest, JsonEscapesAreDecodedBeforeDelivery) {
  auto alice = connect_as("alice");
  alice->send_text(R"({"action":"send_message","message":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \u2028"})");
  alice->expect_chat("alice", "general", "café 😀 \"q\" \\ / \xE2\x80\xA8");
}

TEST_F(MessagingTest, UnknownFieldsAreIgnored) {
  auto alice = connect_as("alice");
  alice->send_text(R"({"action":"send_message","message":"hi","client":"v9","extra":{"a":[1,2]}})");
  alice->expect_chat("alice", "general", "hi");
  alice->send_text(R"({"user":"ignored","message":"order does not matter","action":"send_message"})");
  alice->expect_chat("alice", "general", "order does not matter");
}

TEST_F(MessagingTest, TextLimitIs4096BytesAndLongerIsRefusedNotTruncated) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  std::string limit;
  while (limit.size() + 5 <= 4096) limit += "é€";  // multi-byte, so a cut in a character would show
  limit += std::string(4096 - limit.size(), 'x');
  ASSERT_EQ(limit.size(), 4096u);
  alice->send(chat::SendMessage{limit});
  alice->expect_chat("alice", "general", limit);
  bob->expect_chat("alice", "general", limit);
  for (const std::size_t size : {std::size_t{4097}, std::size_t{64 * 1024}}) {
    alice->send(chat::SendMessage{std::string(size, 'y')});
    alice->expect_refusal(ErrorCode::message_too_long);
  }
  bob->expect_no_frame();
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(MessagingTest, EmptyBlankAndControlTextsAreRefused) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  const std::pair<std::string, ErrorCode> cases[] = {
      {"", ErrorCode::empty_message},
      {"   ", ErrorCode::empty_message},
      {"\t\r\n \n", ErrorCode::empty_message},
      {"\xE2\x80\x8B\xE2\x80\x8D\xC2\xA0", ErrorCode::empty_message},  // zero-width and no-break spaces only
      {"bell\x07", ErrorCode::invalid_message},
      {std::string("nul\0inside", 10), ErrorCode::invalid_message},
      {"escape \x1B[31mred", ErrorCode::invalid_message},
      {"del\x7F", ErrorCode::invalid_message},
      {"c1 \xC2\x9B", ErrorCode::invalid_message},
  };
  for (const auto& [text, code] : cases) {
    SCOPED_TRACE(preview(text));
    alice->send(chat::SendMessage{text});
    alice->expect_refusal(code);
  }
  bob->expect_no_frame();
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(MessagingTest, BurstOf200LinesArrivesInOrderAtEveryReceiver) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  constexpr int kLines = 200;
  for (int i = 0; i < kLines; ++i) alice->send(chat::SendMessage{"burst line " + std::to_string(i)});
  for (auto* c : {alice.get(), bob.get(), carol.get()}) {
    for (int i = 0; i < kLines; ++i) c->expect_chat("alice", "general", "burst line " + std::to_string(i));
    c->expect_no_frame(milliseconds(100));
  }
}

}  // namespace
}  // namespace chat_it
