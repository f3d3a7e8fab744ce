// Hostile or broken requests: each is refused with its documented code, to the sender only, the
// connection stays open, and the sender and a bystander are served as before (PROTOCOL.md "Refusals").
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;

struct BadInput {
  const char* label;
  std::string frame;
  ErrorCode code;
};

void PrintTo(const BadInput& input, std::ostream* out) { *out << input.label; }

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(static_cast<std::size_t>(depth), '[') + inner + std::string(static_cast<std::size_t>(depth), ']');
}

std::vector<BadInput> bad_inputs() {
  return {
      {"truncated", R"({"action":"send_message","message":)", ErrorCode::bad_json},
      {"empty frame", "", ErrorCode::bad_json},
      {"not json", "hello", ErrorCode::bad_json},
      {"trailing garbage", R"({"action":"login","user":"x"} x)", ErrorCode::bad_json},
      {"single quotes", R"({'action':'login'})", ErrorCode::bad_json},
      {"number beyond double", R"({"action":"send_message","message":"x","n":1e400})", ErrorCode::bad_json},
      {"raw newline in string", "{\"action\":\"send_message\",\"message\":\"a\nb\"}", ErrorCode::bad_json},
      {"array", R"(["send_message","x"])", ErrorCode::not_object},
      {"string", R"("login")", ErrorCode::not_object},
      {"number", "42", ErrorCode::not_object},
      {"null", "null", ErrorCode::not_object},
      {"no action", R"({"message":"x"})", ErrorCode::missing_field},
      {"action number", R"({"action":5,"message":"x"})", ErrorCode::wrong_type},
      {"action null", R"({"action":null})", ErrorCode::wrong_type},
      {"action array", R"({"action":["login"],"user":"x"})", ErrorCode::wrong_type},
      {"login without user", R"({"action":"login"})", ErrorCode::missing_field},
      {"login user number", R"({"action":"login","user":7})", ErrorCode::wrong_type},
      {"login user object", R"({"action":"login","user":{"name":"x"}})", ErrorCode::wrong_type},
      {"send without message", R"({"action":"send_message","text":"x"})", ErrorCode::missing_field},
      {"message number", R"({"action":"send_message","message":12})", ErrorCode::wrong_type},
      {"message null", R"({"action":"send_message","message":null})", ErrorCode::wrong_type},
      {"create without room", R"({"action":"create_room"})", ErrorCode::missing_field},
      {"create room array", R"({"action":"create_room","room":["x"]})", ErrorCode::wrong_type},
      {"join without room", R"({"action":"join_room","name":"general"})", ErrorCode::missing_field},
      {"join room bool", R"({"action":"join_room","room":true})", ErrorCode::wrong_type},
      {"unknown action", R"({"action":"fly","room":"x"})", ErrorCode::unknown_action},
      {"action case", R"({"action":"Send_Message","message":"x"})", ErrorCode::unknown_action},
      {"empty action", R"({"action":""})", ErrorCode::unknown_action},
      {"nine levels", R"({"action":"send_message","message":"x","n":)" + nested(8) + "}", ErrorCode::too_deep},
      {"5000 levels", R"({"action":"send_message","message":"x","n":)" + nested(5000) + "}", ErrorCode::too_deep},
      {"invalid byte", "{\"action\":\"send_message\",\"message\":\"\xFF\"}", ErrorCode::invalid_utf8},
      {"overlong slash", "{\"action\":\"send_message\",\"message\":\"\xC0\xAF\"}", ErrorCode::invalid_utf8},
      {"surrogate", "{\"action\":\"send_message\",\"message\":\"\xED\xA0\x80\"}", ErrorCode::invalid_utf8},
      {"truncated sequence", "{\"action\":\"send_message\",\"message\":\"\xE2\x82\"}", ErrorCode::invalid_utf8},
      {"beyond U+10FFFF", "{\"action\":\"send_message\",\"message\":\"\xF4\x90\x80\x80\"}", ErrorCode::invalid_utf8},
      {"duplicate action", R"({"action":"send_message","message":"x","action":"login","user":"eve"})", ErrorCode::duplicate_key},
      {"duplicate message", R"({"action":"send_message","message":"x","message":"y"})", ErrorCode::duplicate_key},
      {"duplicate nested key", R"({"action":"send_message","message":"x","n":[{"a":1,"a":1}]})", ErrorCode::duplicate_key},
  };
}

class BadInputTest : public ChatServerTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, IsRefusedToTheSenderOnlyAndNothingChanges) {
  auto sender = connect_as("sender");
  auto bystander = connect_as("bystander");
  sender->send_text(GetParam().frame);
  sender->expect_refusal(GetParam().code);
  bystander->expect_no_frame(milliseconds(100));
  expect_served("general", {sender.get(), bystander.get()});
}

INSTANTIATE_TEST_SUITE_P(Frames, BadInputTest, ::testing::ValuesIn(bad_inputs()),
                         [](const auto& info) {
                           std::string name = info.param.label;
                           for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

using RefusalTest = ChatServerTest;

TEST_F(RefusalTest, EightLevelsOfNestingAreStillAccepted) {
  auto sender = connect_as("sender");
  sender->send_text(R"({"action":"send_message","message":"deep enough","n":)" + nested(7) + "}");
  sender->expect_chat("sender", "general", "deep enough");
}

TEST_F(RefusalTest, BadInputBeforeLoginGetsItsOwnCodeAndLoginStillWorks) {
  auto guest = connect();
  guest->send_text("{");
  guest->expect_refusal(ErrorCode::bad_json);
  guest->send_text(R"({"action":"login","user":12})");
  guest->expect_refusal(ErrorCode::wrong_type);
  guest->login("guest");
}

// The last key used to win: this frame logged in as mallory.
TEST_F(RefusalTest, DuplicateKeyLoginDoesNotLogIn) {
  auto bystander = connect_as("bystander");
  auto guest = connect();
  guest->send_text(R"({"action":"send_message","message":"hi","action":"login","user":"mallory"})");
  guest->expect_refusal(ErrorCode::duplicate_key);
  guest->send(chat::SendMessage{"am I in?"});
  guest->expect_refusal(ErrorCode::not_logged_in);
  bystander->expect_no_frame(milliseconds(100));
  auto mallory = connect_as("mallory");  // the name was never taken
  expect_served("general", {bystander.get(), mallory.get()});
}

TEST_F(RefusalTest, BinaryFrameIsRefusedAndTheConnectionStaysOpen) {
  auto sender = connect_as("sender");
  auto bystander = connect_as("bystander");
  sender->send_binary(chat::encode(chat::ClientFrame{chat::SendMessage{"sent as binary"}}));
  sender->expect_refusal(ErrorCode::binary_frame);
  sender->send_binary(std::string("\0asm\xff\xfe", 6));
  sender->expect_refusal(ErrorCode::binary_frame);
  bystander->expect_no_frame(milliseconds(100));  // the binary line was not delivered
  expect_served("general", {sender.get(), bystander.get()});
}

TEST_F(RefusalTest, InvalidUtf8InLoginIsRefusedWithoutTakingTheName) {
  auto guest = connect();
  guest->send_text("{\"action\":\"login\",\"user\":\"bob\xFF\"}");
  guest->expect_refusal(ErrorCode::invalid_utf8);
  guest->send(chat::SendMessage{"x"});
  guest->expect_refusal(ErrorCode::not_logged_in);
  guest->login("bob");
}

TEST_F(RefusalTest, FrameOf256KiBIsAnsweredNotClosed) {
  auto sender = connect_as("sender");
  auto bystander = connect_as("bystander");
  const std::string head = R"({"action":"send_message","message":")";
  const std::string frame = head + std::string(256 * 1024 - head.size() - 2, 'a') + "\"}";
  ASSERT_EQ(frame.size(), 256u * 1024u);
  sender->send_text(frame);
  sender->expect_refusal(ErrorCode::message_too_long);
  bystander->expect_no_frame(milliseconds(100));
  expect_served("general", {sender.get(), bystander.get()});
}

TEST_F(RefusalTest, FrameOver256KiBClosesWith1009) {
  auto sender = connect_as("sender");
  auto bystander = connect_as("bystander");
  const std::string head = R"({"action":"send_message","message":")";
  const std::string frame = head + std::string(256 * 1024 + 1 - head.size() - 2, 'a') + "\"}";
  sender->send_raw(encode_frame(Opcode::text, frame));  // the server may close before reading it all
  sender->expect_close(1009);
  bystander->expect_no_frame(milliseconds(100));
  auto again = connect();
  again->login("sender");  // the name was freed
  expect_served("general", {again.get(), bystander.get()});
}

TEST_F(RefusalTest, FragmentsReassemblingOver256KiBCloseWith1009) {
  auto sender = connect_as("sender");
  auto bystander = connect_as("bystander");
  const std::string text = R"({"action":"send_message","message":")" + std::string(300 * 1024, 'b') + "\"}";
  std::string bytes;
  for (std::size_t at = 0; at < text.size(); at += 32 * 1024) {
    const bool last = at + 32 * 1024 >= text.size();
    bytes += encode_frame(at == 0 ? Opcode::text : Opcode::continuation, text.substr(at, 32 * 1024), FrameBits{last});
  }
  sender->send_raw(bytes);
  sender->expect_close(1009);
  expect_served("general", {bystander.get()});
}

}  // namespace
}  // namespace chat_it
