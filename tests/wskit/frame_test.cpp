// The kit's framing: every length class round-trips, and the two parsing modes refuse what each
// promises to refuse (the tests' strictness must not leak into the load path, nor the reverse).
#include <gtest/gtest.h>

#include "tests/wskit/frame.hpp"

namespace wskit {
namespace {

// Parses a copy of `wire`; the payload, copied out before the copy goes, in `payload`.
ParseStatus parse(std::string wire, FrameRules rules, std::string* payload = nullptr) {
  FrameView frame;
  std::size_t used = 0;
  const ParseStatus status = parse_frame(wire.data(), wire.size(), rules, frame, used).status;
  if (payload) payload->assign(frame.payload);
  return status;
}

TEST(WsCodec, MaskedFramesOfEveryLengthClassRoundTrip) {
  for (const std::size_t size : {0, 1, 125, 126, 65535, 65536, 70000}) {
    const std::string payload(size, 'x');
    std::string wire;
    append_frame(wire, Opcode::text, payload, 0x12345678);
    FrameView frame;
    std::size_t used = 0;
    ASSERT_EQ(parse_frame(wire.data(), wire.size(), kClientFramesLenient, frame, used).status, ParseStatus::frame) << size;
    EXPECT_EQ(used, wire.size());
    EXPECT_EQ(frame.payload, payload);
    EXPECT_TRUE(frame.fin);
    EXPECT_EQ(parse_frame(wire.data(), wire.size() - 1, kClientFramesLenient, frame, used).status,
              ParseStatus::incomplete);
  }
}

TEST(WsCodec, ServerFramesMustNotBeMaskedNorUseReservedBits) {
  std::string wire;
  append_frame(wire, Opcode::text, "hi", 0x01020304);
  for (const FrameRules rules : {kServerFramesLenient, kServerFramesStrict}) {
    EXPECT_EQ(parse(wire, rules), ParseStatus::error);
    EXPECT_EQ(parse("\xC1\x02hi", rules), ParseStatus::error);  // RSV1: permessage-deflate, never offered
    EXPECT_EQ(parse(std::string("\x09\x01x", 3), rules), ParseStatus::error);  // a fragmented ping
  }
}

TEST(WsCodec, OnlyStrictRefusesReservedOpcodesAndLongLengthEncodings) {
  const std::string reserved_opcode = "\x83\x01x";
  std::string padded_length = "\x81\x7E";  // 3 bytes announced in the 16-bit form
  padded_length += std::string("\x00\x03", 2) + "abc";
  std::string payload;
  EXPECT_EQ(parse(reserved_opcode, kServerFramesStrict), ParseStatus::error);
  EXPECT_EQ(parse(padded_length, kServerFramesStrict), ParseStatus::error);
  EXPECT_EQ(parse(reserved_opcode, kServerFramesLenient), ParseStatus::frame);
  EXPECT_EQ(parse(padded_length, kServerFramesLenient, &payload), ParseStatus::frame);
  EXPECT_EQ(payload, "abc");
}

TEST(WsCodec, UnmaskedAndBrokenFramesAreBuiltAsAsked) {
  const std::string wire = encode_frame(Opcode::text, "hi", FrameBits{false, false, 4});
  ASSERT_EQ(wire.size(), 4u);
  EXPECT_EQ(static_cast<unsigned char>(wire[0]), 0x41);  // no FIN, RSV1, text
  EXPECT_EQ(wire[1], '\x02');                              // not masked
  EXPECT_EQ(wire.substr(2), "hi");
  EXPECT_EQ(close_payload(1000, "bye"), std::string("\x03\xE8", 2) + "bye");
}

}  // namespace
}  // namespace wskit
