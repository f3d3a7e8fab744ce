// The WebSocket opening handshake's version and key (RFC 6455 4.2) and the close path: close
// frames a client may not send, and framing errors lws would end with a bare TCP close. Raw
// sockets, since a real client library would not send these bytes.
#include "chat_fixture.hpp"
#include "http_client.hpp"

namespace chat_it {
namespace {

using HandshakeTest = ChatServerTest;

constexpr const char* kGoodKey = "dGhlIHNhbXBsZSBub25jZQ==";

// An upgrade request with the given Sec-WebSocket-Version and -Key (a header is left out when its
// value is nullptr); returns the response head.
HttpHead upgrade_with(std::uint16_t port, const char* version, const char* key) {
  auto socket = TestSocket::connect_loopback(port, kReplyTimeout);
  std::string request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
  if (key) request += std::string("Sec-WebSocket-Key: ") + key + "\r\n";
  if (version) request += std::string("Sec-WebSocket-Version: ") + version + "\r\n";
  request += "\r\n";
  if (!socket.send_all(request, deadline_in(kReplyTimeout))) throw HarnessFailure("request not sent");
  std::string rest;
  return read_http_head(socket, rest, deadline_in(kReplyTimeout));
}

TEST_F(HandshakeTest, AVersionOtherThan13Gets426NamingVersion13) {
  auto alice = connect_as("alice");
  for (const char* version : {"8", "12", "14", "13, 8", "x", static_cast<const char*>(nullptr)}) {
    const auto head = upgrade_with(port(), version, kGoodKey);
    EXPECT_EQ(head.status_line, "HTTP/1.1 426 Upgrade Required") << (version ? version : "(no version)");
    EXPECT_EQ(head.header("sec-websocket-version"), "13") << head.status_line;
  }
  EXPECT_EQ(upgrade_with(port(), "13", kGoodKey).status, 101);
  expect_served("general", {alice.get()});
}

TEST_F(HandshakeTest, AKeyThatIsNotBase64Of16BytesGets400) {
  auto alice = connect_as("alice");
  for (const char* key : {"hello", "dGhlIHNhbXBsZSBub25jZQ", "not*base64*at*all*here==", "dGhlIHNhbXBsZSBub25jZXM=",
                          "dGhlIHNhbXBsZSBub25jZXMgYW5kIG1vcmU=", static_cast<const char*>(nullptr)}) {
    const auto head = upgrade_with(port(), "13", key);
    EXPECT_EQ(head.status, 400) << (key ? key : "(no key)") << ": " << head.status_line;
  }
  expect_served("general", {alice.get()});
}

struct BadClose {
  const char* label;
  std::string payload;
  int expected_code;
};
void PrintTo(const BadClose& close, std::ostream* out) { *out << close.label; }

std::vector<BadClose> bad_closes() {
  return {
      {"code_5000", close_payload(5000, "bye"), 1002},
      {"code_65535", close_payload(65535), 1002},
      {"code_2999", close_payload(2999), 1002},
      {"one_byte_payload", "\x03", 1002},
      {"reason_not_utf8", close_payload(1000, "\xff\xfe bad"), 1007},
      {"reason_cut_inside_a_character", close_payload(1000, "caf\xc3"), 1007},
  };
}

class BadCloseTest : public ChatServerTest, public ::testing::WithParamInterface<BadClose> {};

// RFC 6455 7.4.1 / 8.1: such a close fails the connection with 1002 / 1007 instead of being echoed;
// then the server closes TCP at once (the client has already sent its close).
TEST_P(BadCloseTest, IsAnsweredWithAFailureCodeNotEchoed) {
  auto sender = connect_as("sender");
  auto alice = connect_as("alice");
  sender->send_frame(Opcode::close, GetParam().payload);
  sender->expect_close(GetParam().expected_code, kReplyTimeout);
  expect_served("general", {alice.get()});
  auto again = connect();
  EXPECT_TRUE(login_when_free(*again, "sender", deadline_in(milliseconds(2000))));
}

INSTANTIATE_TEST_SUITE_P(Closes, BadCloseTest, ::testing::ValuesIn(bad_closes()),
                         [](const auto& info) { return std::string(info.param.label); });

TEST_F(HandshakeTest, AValidCloseIsEchoed) {
  for (const int code : {1000, 1001, 3000, 4999}) {
    auto client = connect();
    client->send_frame(Opcode::close, close_payload(code, "fine \xc3\xa9"));
    client->expect_close(code, kReplyTimeout);
  }
}

// lws ends these with no close frame and no reason; PROTOCOL.md promises a 1002 close frame.
struct BareCloseFrame {
  const char* label;
  std::string bytes;
};
void PrintTo(const BareCloseFrame& frame, std::ostream* out) { *out << frame.label; }

std::vector<BareCloseFrame> frames_lws_ends_bare() {
  std::string top_bit_length = "\x82\xff";  // binary, masked, 64-bit length...
  top_bit_length += std::string("\x80\x00\x00\x00\x00\x00\x00\x01", 8);  // ...with bit 63 set
  top_bit_length += std::string("\x01\x02\x03\x04", 4);                  // the mask
  return {
      {"ping_of_126_bytes", encode_frame(Opcode::ping, std::string(126, 'p'))},
      {"close_of_200_bytes", encode_frame(Opcode::close, close_payload(1000, std::string(198, 'r')))},
      {"length_with_top_bit_set", top_bit_length},
  };
}

class BareCloseTest : public ChatServerTest, public ::testing::WithParamInterface<BareCloseFrame> {};

TEST_P(BareCloseTest, GetsA1002CloseFrame) {
  auto sender = connect_as("sender");
  auto alice = connect_as("alice");
  ASSERT_TRUE(sender->send_raw(GetParam().bytes));
  sender->expect_close(1002, kReplyTimeout);
  expect_served("general", {alice.get()});
}

INSTANTIATE_TEST_SUITE_P(Frames, BareCloseTest, ::testing::ValuesIn(frames_lws_ends_bare()),
                         [](const auto& info) { return std::string(info.param.label); });

}  // namespace
}  // namespace chat_it
