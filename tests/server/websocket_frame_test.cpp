// Server frame headers at every length boundary, checked against RFC 6455's layout.
#include "server/lws/websocket_frame.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

std::string framed(std::size_t length) {
  std::string out;
  append_text_frame(out, std::string(length, 'x'));
  return out;
}

TEST(WebsocketFrame, ShortPayloadUsesOneLengthByte) {
  const std::string out = framed(125);
  ASSERT_EQ(out.size(), 127u);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x81);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 125);
  EXPECT_EQ(text_frame_size(125), out.size());
}

TEST(WebsocketFrame, MediumPayloadUsesSixteenBits) {
  for (const std::size_t length : {126u, 300u, 65535u}) {
    const std::string out = framed(length);
    ASSERT_EQ(out.size(), length + 4);
    EXPECT_EQ(static_cast<unsigned char>(out[1]), 126);
    EXPECT_EQ((static_cast<unsigned char>(out[2]) << 8) | static_cast<unsigned char>(out[3]), static_cast<int>(length));
    EXPECT_EQ(text_frame_size(length), out.size());
  }
}

TEST(WebsocketFrame, LargePayloadUsesSixtyFourBits) {
  const std::string out = framed(65536);
  ASSERT_EQ(out.size(), 65536u + 10);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 127);
  std::uint64_t length = 0;
  for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<unsigned char>(out[i]);
  EXPECT_EQ(length, 65536u);
  EXPECT_EQ(text_frame_size(65536), out.size());
}

TEST(WebsocketFrame, FramesConcatenate) {
  std::string out;
  append_text_frame(out, "ab");
  append_text_frame(out, "");
  EXPECT_EQ(out, std::string("\x81\x02" "ab" "\x81\x00", 6));
}

TEST(WebsocketFrame, PingCarriesAShortPayloadThePongEchoes) {
  std::string out;
  append_ping_frame(out);
  EXPECT_EQ(out, std::string("\x89\x04live", 6));
}

TEST(WebsocketFrame, CloseFrameCarriesCodeAndReason) {
  std::string out;
  append_close_frame(out, 1001, "bye");
  EXPECT_EQ(out, std::string("\x88\x05\x03\xe9" "bye", 7));
  out.clear();
  append_close_frame(out, 1008, std::string(200, 'r'));  // control frames hold at most 125 bytes
  EXPECT_EQ(out.size(), 2u + 125u);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 125);
}

}  // namespace
}  // namespace chat
