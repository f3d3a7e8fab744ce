// The codec: round trips of every frame, every refusal reason, UTF-8 and JSON escapes, hostile input.
#include "shared/codec.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include <set>
#include <string>
#include <vector>

#include "codec_test_support.hpp"

namespace chat {
namespace {

using namespace codec_test;

// ---- Client frames ----------------------------------------------------------------------------

TEST(CodecClient, DecodesEverySeedFrame) {
  auto login = decode_client_frame(R"({"action":"login","user":"AlphaXZero"})", kLimits);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(std::get<Login>(login.value()).user, "AlphaXZero");

  auto send = decode_client_frame(R"({"action": "send_message", "message": "salut"})", kLimits);
  ASSERT_TRUE(send.ok());
  EXPECT_EQ(std::get<SendMessage>(send.value()).message, "salut");

  auto create = decode_client_frame(R"({"action":"create_room","room":"jeux"})", kLimits);
  ASSERT_TRUE(create.ok());
  EXPECT_EQ(std::get<CreateRoom>(create.value()).room, "jeux");

  auto join = decode_client_frame(R"({"room":"jeux","action":"join_room"})", kLimits);
  ASSERT_TRUE(join.ok());
  EXPECT_EQ(std::get<JoinRoom>(join.value()).room, "jeux");
}

TEST(CodecClient, IgnoresUnknownExtraFields) {
  auto login = decode_client_frame(R"({"action":"login","user":"bob","version":2,"x":[1,{}]})", kLimits);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(std::get<Login>(login.value()).user, "bob");
}

TEST(CodecClient, RoundTripsEveryFrame) {
  const std::vector<ClientFrame> frames = {
      Login{"Zoë"}, SendMessage{"line \"one\"\n\\two\\"}, CreateRoom{"café"}, JoinRoom{"général"},
      DeleteRoom{"jeux"}};
  for (const auto& frame : frames) {
    const std::string text = encode(frame);
    auto decoded = decode_client_frame(text, kLimits);
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(decoded.value().index(), frame.index());
    EXPECT_EQ(encode(decoded.value()), text);
  }
}

TEST(CodecClient, EncodesCompactWithActionFirst) {
  EXPECT_EQ(encode(ClientFrame{Login{"bob"}}), R"({"action":"login","user":"bob"})");
  EXPECT_EQ(encode(ClientFrame{SendMessage{"hi"}}), R"({"action":"send_message","message":"hi"})");
  EXPECT_EQ(encode(ClientFrame{CreateRoom{"r"}}), R"({"action":"create_room","room":"r"})");
  EXPECT_EQ(encode(ClientFrame{JoinRoom{"r"}}), R"({"action":"join_room","room":"r"})");
  EXPECT_EQ(encode(ClientFrame{DeleteRoom{"r"}}), R"({"action":"delete_room","room":"r"})");
}

// The client's request ids: written last, read back by the server's decoder unchanged.
TEST(CodecClient, EncodesTheRequestIdLastAndTheServerReadsItBack) {
  const std::string text = encode(ClientFrame{CreateRoom{"r"}}, "7");
  EXPECT_EQ(text, R"({"action":"create_room","room":"r","request_id":7})");
  const ClientRequest request = decode_client_request(text, Limits{});
  ASSERT_TRUE(request.frame.ok());
  EXPECT_EQ(request.request_id, "7");
  EXPECT_EQ(encode(ClientFrame{Login{"bob", kCurrentVersion}}, "\"a\""),
            R"({"action":"login","user":"bob","version":2,"request_id":"a"})");
  EXPECT_EQ(encode(ClientFrame{SendMessage{"hi"}}, ""), encode(ClientFrame{SendMessage{"hi"}})) << "none";
}

struct RefusalCase {
  const char* name;
  std::string text;
  ErrorCode expected;
};

// gtest prints the case's name instead of its bytes (ctest test names stay readable).
void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

class CodecRefusal : public testing::TestWithParam<RefusalCase> {};

TEST_P(CodecRefusal, GivesTheTypedReason) { EXPECT_EQ(client_error(GetParam().text), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    EveryReason, CodecRefusal,
    testing::Values(
        RefusalCase{"not_json", "hello", ErrorCode::bad_json},
        RefusalCase{"truncated", R"({"action":"login","user":"bo)", ErrorCode::bad_json},
        RefusalCase{"trailing_garbage", R"({"action":"login","user":"bob"} x)", ErrorCode::bad_json},
        RefusalCase{"empty", "", ErrorCode::bad_json},
        RefusalCase{"lone_surrogate_escape", R"({"action":"login","user":"\ud800"})", ErrorCode::bad_json},
        RefusalCase{"array", R"(["login","bob"])", ErrorCode::not_object},
        RefusalCase{"string", R"("login")", ErrorCode::not_object},
        RefusalCase{"number", "42", ErrorCode::not_object},
        RefusalCase{"null", "null", ErrorCode::not_object},
        RefusalCase{"no_action", R"({"user":"bob"})", ErrorCode::missing_field},
        RefusalCase{"no_user", R"({"action":"login"})", ErrorCode::missing_field},
        RefusalCase{"no_message", R"({"action":"send_message"})", ErrorCode::missing_field},
        RefusalCase{"no_room_create", R"({"action":"create_room"})", ErrorCode::missing_field},
        RefusalCase{"no_room_join", R"({"action":"join_room"})", ErrorCode::missing_field},
        RefusalCase{"action_number", R"({"action":1})", ErrorCode::wrong_type},
        RefusalCase{"user_number", R"({"action":"login","user":7})", ErrorCode::wrong_type},
        RefusalCase{"user_null", R"({"action":"login","user":null})", ErrorCode::wrong_type},
        RefusalCase{"message_array", R"({"action":"send_message","message":["a"]})", ErrorCode::wrong_type},
        RefusalCase{"room_object", R"({"action":"join_room","room":{}})", ErrorCode::wrong_type},
        RefusalCase{"unknown", R"({"action":"fly"})", ErrorCode::unknown_action},
        RefusalCase{"case_matters", R"({"action":"LOGIN","user":"bob"})", ErrorCode::unknown_action},
        RefusalCase{"invalid_utf8", "{\"action\":\"login\",\"user\":\"\xC3\x28\"}", ErrorCode::invalid_utf8},
        RefusalCase{"overlong_utf8", "{\"action\":\"login\",\"user\":\"\xC0\xAF\"}", ErrorCode::invalid_utf8},
        RefusalCase{"raw_surrogate", "{\"action\":\"login\",\"user\":\"\xED\xA0\x80\"}", ErrorCode::invalid_utf8},
        RefusalCase{"too_deep", std::string(9, '[') + std::string(9, ']'), ErrorCode::too_deep},
        RefusalCase{"too_large", std::string(kLimits.max_frame_bytes + 1, ' '), ErrorCode::frame_too_large},
        RefusalCase{"duplicate_action", R"({"action":"send_message","action":"login","user":"eve"})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_same_value", R"({"action":"login","action":"login","user":"eve"})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_field", R"({"action":"login","user":"bob","user":"eve"})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_escaped", R"({"action":"login","user":"bob","us\u0065r":"eve"})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_request_id", R"({"action":"login","user":"bob","request_id":1,"request_id":2})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_empty_key", R"({"":1,"":2,"action":"login","user":"bob"})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_nested", R"({"action":"login","user":"bob","x":{"a":{"b":1,"b":2}}})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_in_array", R"({"action":"login","user":"bob","x":[{"a":1},{"a":1,"a":2}]})", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_in_non_object", R"([{"a":1,"a":2}])", ErrorCode::duplicate_key},
        RefusalCase{"duplicate_before_bad_json", R"({"action":"login","action":"login","user":)", ErrorCode::duplicate_key}),
    [](const testing::TestParamInfo<RefusalCase>& info) { return std::string(info.param.name); });

TEST(CodecClient, TheSameKeyInDifferentObjectsIsNoDuplicate) {
  auto login = decode_client_frame(
      R"({"action":"login","user":"bob","x":{"user":1,"action":2},"y":[{"a":1},{"a":1}],"z":{"a":{"a":{}}}})", kLimits);
  ASSERT_TRUE(login.ok()) << describe(login.error());
  EXPECT_EQ(std::get<Login>(login.value()).user, "bob");
}

TEST(CodecClient, DuplicateKeyRefusalNamesTheKeyShortly) {
  const std::string key = std::string(63, 'k') + "é" + std::string(1000, 'k');
  auto result = decode_client_frame(R"({"action":"login",")" + key + R"(":1,")" + key + R"(":2})", kLimits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::duplicate_key);
  EXPECT_LT(result.error().detail.size(), 100u);
  EXPECT_NE(result.error().detail.find("kkk"), std::string::npos);
  EXPECT_TRUE(decode_server_frame(encode(ServerFrame{refusal(result.error())}), kLimits).ok());
}

// Past 16 keys an object's keys are checked through a sorted set: both sides of the switch.
TEST(CodecClient, ManyKeysAreCheckedOnBothSidesOfTheSwitch) {
  for (const int keys : {15, 16, 17, 40}) {
    std::string text = R"({"action":"login","user":"bob")";
    for (int i = 0; i < keys; ++i) text += ",\"k" + std::to_string(i) + "\":0";
    EXPECT_TRUE(decode_client_frame(text + "}", kLimits).ok()) << keys;
    for (const int repeat : {0, keys - 1}) {
      EXPECT_EQ(client_error(text + ",\"k" + std::to_string(repeat) + "\":1}"), ErrorCode::duplicate_key)
          << keys << " keys, k" << repeat << " repeated";
    }
  }
}

TEST(CodecHostile, AnObjectOfThirtyThousandKeysIsCheckedQuickly) {
  std::string text = R"({"action":"login","user":"bob")";
  for (int i = 0; text.size() < kLimits.max_frame_bytes - 16; ++i) text += ",\"" + std::to_string(i) + "\":0";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(decode_client_frame(text + "}", kLimits).ok());
  EXPECT_EQ(client_error(text + R"(,"7":1})"), ErrorCode::duplicate_key);
  // Quadratic checking took seconds here; the sorted set takes milliseconds (generous bound).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(CodecClient, DepthInsideStringsDoesNotCount) {
  const std::string text = R"({"action":"send_message","message":")" + std::string(100, '[') + R"("})";
  auto result = decode_client_frame(text, kLimits);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<SendMessage>(result.value()).message, std::string(100, '['));
}

TEST(CodecClient, EscapedQuoteDoesNotEndStringForDepthScan) {
  const std::string text = R"({"action":"send_message","message":"\"[[[[[[[[[[[[\\"})";
  EXPECT_TRUE(decode_client_frame(text, kLimits).ok());
}

TEST(CodecHostile, DeepNestingIsRefusedWithoutRecursion) {
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  Limits big = kLimits;
  big.max_frame_bytes = deep.size();
  auto result = decode_client_frame(deep, big);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::too_deep);
}

TEST(CodecHostile, HugeNumbersAreRefusedNotOverflowed) {
  // Out of double range: the parser refuses the text rather than producing inf.
  EXPECT_EQ(client_error(R"({"action":"login","user":1e99999})"), ErrorCode::bad_json);
  EXPECT_EQ(client_error(R"({"action":"login","user":)" + std::string(5000, '9') + "}"), ErrorCode::bad_json);
  // In range, it is a number where a string belongs.
  EXPECT_EQ(client_error(R"({"action":"login","user":1e300})"), ErrorCode::wrong_type);
}

TEST(CodecHostile, MegabytesAreRefusedBeforeParsing) {
  const std::string text = R"({"action":"send_message","message":")" + std::string(4 << 20, 'a') + R"("})";
  EXPECT_EQ(client_error(text), ErrorCode::frame_too_large);
}

TEST(CodecHostile, UnknownActionEchoIsShortAndValidUtf8) {
  const std::string long_action = std::string(63, 'a') + "é" + std::string(1000, 'b');
  auto result = decode_client_frame(R"({"action":")" + long_action + R"("})", kLimits);
  ASSERT_FALSE(result.ok());
  EXPECT_LT(result.error().detail.size(), 80u);
  // The refusal must itself be a frame any client can decode.
  const std::string reply = encode(ServerFrame{refusal(result.error())});
  EXPECT_TRUE(decode_server_frame(reply, kLimits).ok()) << reply;
}

TEST(CodecHostile, EveryPrefixOfAValidFrameIsHandled) {
  const std::string text = R"({"action":"send_message","message":"é\u00e9\"\\ 😀"})";
  for (std::size_t n = 0; n < text.size(); ++n) {
    auto result = decode_client_frame(text.substr(0, n), kLimits);
    EXPECT_FALSE(result.ok()) << n;
  }
}

// ---- UTF-8 and escapes ------------------------------------------------------------------------

TEST(CodecText, KeepsEveryByteOfUnicodeText) {
  const std::vector<std::string> samples = {
      "Ça va, l'élève ? Noël à Paris — «très» bien",
      "Ελληνικά και Кириллица",
      "😀 👩‍👩‍👧‍👦 🏳️‍🌈 🇧🇪",  // ZWJ sequences and flags
      "中文 日本語 한국어",
      "e\xCC\x81 vs \xC3\xA9",  // combining mark vs precomposed: no normalisation
      "line\xE2\x80\xA8separator and \xE2\x80\xA9 paragraph",
      "quote \" backslash \\ slash / tab \t newline \n",
      std::string("nul\0byte", 8),
  };
  for (const auto& text : samples) {
    const std::string json = encode(ClientFrame{SendMessage{text}});
    auto decoded = decode_client_frame(json, kLimits);
    ASSERT_TRUE(decoded.ok()) << json;
    EXPECT_EQ(std::get<SendMessage>(decoded.value()).message, text);
  }
}

TEST(CodecText, DecodesJsonEscapes) {
  auto decoded = decode_client_frame(
      R"({"action":"send_message","message":"\u00e9\u0041\ud83d\ude00\n\t\"\\\/\u2028"})", kLimits);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<SendMessage>(decoded.value()).message, "éA😀\n\t\"\\/\xE2\x80\xA8");
}

TEST(CodecText, EscapesControlCharactersOnOutput) {
  EXPECT_EQ(encode(ClientFrame{SendMessage{std::string("a\x01\x1f\b\f\r", 6)}}),
            R"({"action":"send_message","message":"a\u0001\u001f\b\f\r"})");
}

// ---- Server frames ----------------------------------------------------------------------------

TEST(CodecServer, SeedFramesAreByteForByte) {
  MessageFrame plain;
  plain.message = "Bienvenue";
  EXPECT_EQ(encode(ServerFrame{plain}), R"({"action":"message","message":"Bienvenue"})");
  EXPECT_EQ(encode(ServerFrame{RoomsFrame{{"general", "jeux"}}}),
            R"({"action":"rooms","rooms":["general","jeux"]})");
  EXPECT_EQ(encode(ServerFrame{RoomsFrame{}}), R"({"action":"rooms","rooms":[]})");
}

TEST(CodecServer, ChatLineKeepsSeedFieldAndAddsAuthor) {
  const std::string json = encode(ServerFrame{chat_line("general", ChatLine{7, 99, "alice", "salut"}, false)});
  EXPECT_EQ(json, R"({"action":"message","message":"alice: salut","event":"chat","user":"alice","room":"general"})");
  auto decoded = decode_server_frame(json, kLimits);
  ASSERT_TRUE(decoded.ok());
  const auto& frame = std::get<MessageFrame>(decoded.value());
  EXPECT_EQ(frame.event, Event::chat);
  EXPECT_EQ(frame.user, "alice");
  EXPECT_EQ(frame.chat_text(), "salut");
}

TEST(CodecServer, RoundTripsEveryEventAndRefusal) {
  std::vector<ServerFrame> frames = {
      notice(Event::logged_in, "Welcome, bob", "bob", ""),
      notice(Event::joined, "You are now in jeux", "", "jeux"),
      notice(Event::room_created, "Room jeux created", "", "jeux"),
      RoomsFrame{{"general", "café", "😀"}},
  };
  for (int code = 0; code < static_cast<int>(ErrorCode::other); ++code) {
    frames.push_back(refusal(Error{static_cast<ErrorCode>(code), "detail"}));
  }
  for (const auto& frame : frames) {
    const std::string json = encode(frame);
    auto decoded = decode_server_frame(json, kLimits);
    ASSERT_TRUE(decoded.ok()) << json;
    EXPECT_EQ(encode(decoded.value()), json);
  }
}

TEST(CodecServer, UnknownCodesAndEventsFromNewerServersStillDecode) {
  auto decoded = decode_server_frame(
      R"({"action":"message","message":"no","error":"future_code","event":"future_event","x":1})", kLimits);
  ASSERT_TRUE(decoded.ok());
  const auto& frame = std::get<MessageFrame>(decoded.value());
  EXPECT_EQ(frame.error, ErrorCode::other);
  EXPECT_EQ(frame.event, Event::none);
}

TEST(CodecServer, RefusesMalformedServerFrames) {
  const std::vector<std::pair<std::string, ErrorCode>> cases = {
      {R"({"action":"rooms","rooms":"general"})", ErrorCode::wrong_type},
      {R"({"action":"rooms","rooms":["a",1]})", ErrorCode::wrong_type},
      {R"({"action":"rooms"})", ErrorCode::missing_field},
      {R"({"action":"message"})", ErrorCode::missing_field},
      {R"({"action":"message","message":"x","user":5})", ErrorCode::wrong_type},
      {R"({"action":"history"})", ErrorCode::missing_field},
      {R"({"action":"shout"})", ErrorCode::unknown_action},
  };
  for (const auto& [text, code] : cases) {
    auto decoded = decode_server_frame(text, kLimits);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.error().code, code) << text;
  }
}

// ---- Version 2 -------------------------------------------------------------------------------

TEST(CodecV2, ChatLineWithDetails) {
  const std::string json = encode(ServerFrame{chat_line("jeux", ChatLine{42, 1700000000123, "zoë", "a \"b\""}, true)});
  EXPECT_EQ(json, R"({"action":"message","message":"zoë: a \"b\"","event":"chat","user":"zoë","room":"jeux",)"
                  R"("id":42,"ts":1700000000123,"text":"a \"b\""})");
  auto decoded = decode_server_frame(json, kLimits);
  ASSERT_TRUE(decoded.ok());
  const auto& frame = std::get<MessageFrame>(decoded.value());
  EXPECT_EQ(frame.id, 42);
  EXPECT_EQ(frame.ts, 1700000000123);
  EXPECT_TRUE(frame.has_text);
  EXPECT_EQ(encode(decoded.value()), json);
}

TEST(CodecV2, ClientFramesRoundTrip) {
  const std::vector<ClientFrame> frames = {Login{"bob", 2}, Resume{"abc.def", "jeux", 17}, History{"jeux", 100, 20},
                                           History{"general", 0, 50}};
  for (const auto& frame : frames) {
    const std::string text = encode(frame);
    auto decoded = decode_client_frame(text, kLimits);
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(encode(decoded.value()), text);
  }
  EXPECT_EQ(encode(ClientFrame{Login{"bob", 2}}), R"({"action":"login","user":"bob","version":2})");
}

TEST(CodecV2, NewerClientVersionsSpeakOurs) {
  auto login = decode_client_frame(R"({"action":"login","user":"bob","version":9})", kLimits);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(std::get<Login>(login.value()).version, kCurrentVersion);
}

TEST(CodecV2, RequestIdIsEchoedAsGiven) {
  auto with_string = decode_client_request(R"({"action":"join_room","room":"x","request_id":"r-1"})", kLimits);
  EXPECT_EQ(with_string.request_id, R"("r-1")");
  auto with_number = decode_client_request(R"({"action":"nope","request_id":12})", kLimits);
  EXPECT_EQ(with_number.request_id, "12");
  EXPECT_FALSE(with_number.frame.ok());
  MessageFrame refused = refusal(with_number.frame.error());
  refused.request_id = with_number.request_id;
  EXPECT_EQ(encode(ServerFrame{refused}),
            R"({"action":"message","message":"unknown action: \"nope\"","error":"unknown_action","request_id":12})");
  auto bad = decode_client_request(R"({"action":"login","user":"x","request_id":[1]})", kLimits);
  ASSERT_FALSE(bad.frame.ok());
  EXPECT_EQ(bad.frame.error().code, ErrorCode::wrong_type);
  auto long_id = decode_client_request(R"({"action":"login","user":"x","request_id":")" + std::string(65, 'a') + R"("})", kLimits);
  EXPECT_FALSE(long_id.frame.ok());
}

TEST(CodecV2, RefusesOutOfRangeValues) {
  EXPECT_EQ(client_error(R"({"action":"history","room":"x","limit":0})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"history","room":"x","limit":201})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"history","room":"x","before_id":-1})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"history","room":"x","limit":"5"})"), ErrorCode::wrong_type);
  EXPECT_EQ(client_error(R"({"action":"history","room":"x","limit":2.5})"), ErrorCode::wrong_type);
  EXPECT_EQ(client_error(R"({"action":"resume","room":"x"})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"login","user":"x","version":0})"), ErrorCode::bad_value);
}

TEST(CodecV2, ServerFramesRoundTrip) {
  MessageFrame ack = notice(Event::resumed, "Welcome back", "bob", "jeux");
  ack.token = "0011.2233";
  ack.version = 2;
  ack.request_id = R"("a")";
  const std::vector<ServerFrame> frames = {
      ack,
      HistoryFrame{"jeux", {ChatLine{1, 5, "a", "x"}, ChatLine{2, 6, "b", "😀\n"}}, true, "7"},
      HistoryFrame{"jeux", {}, false, ""},
      MembersFrame{"jeux", {"a", "b"}},
      PresenceFrame{"jeux", "a", true},
      PresenceFrame{"jeux", "a", false},
  };
  for (const auto& frame : frames) {
    const std::string json = encode(frame);
    auto decoded = decode_server_frame(json, kLimits);
    ASSERT_TRUE(decoded.ok()) << json;
    EXPECT_EQ(encode(decoded.value()), json);
  }
  EXPECT_EQ(encode(frames[1]),
            R"({"action":"history","room":"jeux","lines":[{"id":1,"ts":5,"user":"a","text":"x"},)"
            R"({"id":2,"ts":6,"user":"b","text":"😀\n"}],"more":true,"request_id":7})");
  EXPECT_EQ(encode(frames[4]), R"({"action":"presence","room":"jeux","user":"a","event":"joined"})");
}

TEST(ErrorCodes, EveryCodeHasAUniqueNameThatRoundTrips) {
  std::set<std::string_view> names;
  for (int code = 0; code <= static_cast<int>(ErrorCode::other); ++code) {
    const auto value = static_cast<ErrorCode>(code);
    const auto name = to_string(value);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(error_code_from_string(name), value) << name;
  }
}

}  // namespace
}  // namespace chat
