// RFC 6455 framing for every test-side client (tests, benchmark, soak): building client frames
// (masked, or deliberately broken) and parsing frames in place, strictly for the tests or leniently
// for load. It owns no socket and no buffer: callers hand it bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wskit {

enum class Opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// What a frame header says beyond opcode and length; the defaults make a valid client frame.
struct FrameBits {
  bool fin = true;
  bool masked = true;
  std::uint8_t rsv = 0;  // the three RSV bits, as 0..7
};

inline constexpr FrameBits kUnmasked{true, false};  // a server's frame

// Appends one frame. `mask` is the masking key when bits.masked (a zero key is a valid key).
// RFC 6455 wants a client's key unpredictable, which matters against proxies, not on loopback.
void append_frame(std::string& out, std::uint8_t opcode, std::string_view payload, std::uint32_t mask,
                  FrameBits bits = {});
inline void append_frame(std::string& out, Opcode opcode, std::string_view payload, std::uint32_t mask,
                         FrameBits bits = {}) {
  append_frame(out, static_cast<std::uint8_t>(opcode), payload, mask, bits);
}
// One frame with a random masking key (the tests' frames).
std::string encode_frame(std::uint8_t opcode, std::string_view payload, FrameBits bits = {});
inline std::string encode_frame(Opcode opcode, std::string_view payload, FrameBits bits = {}) {
  return encode_frame(static_cast<std::uint8_t>(opcode), payload, bits);
}
// A close frame's payload: the code in network order, then the reason.
std::string close_payload(int code, std::string_view reason = {});

// What the parser insists on. Both modes refuse what would make the stream unreadable (RSV bits
// without an extension, the wrong masking for the side, a control frame fragmented or over 125
// bytes, a length over 2 GiB). strict also refuses what a correct peer never sends but a reader
// could skip: reserved opcodes and lengths not in their shortest encoding. The tests read the
// server strictly so that any framing mistake fails them; the load generator and the soak read
// leniently, and only count what they understand.
enum class Strictness { lenient, strict };

struct FrameRules {
  bool masked = false;  // what the sender must do: a client always masks, a server never
  Strictness strictness = Strictness::lenient;
};
inline constexpr FrameRules kServerFramesStrict{false, Strictness::strict};
inline constexpr FrameRules kServerFramesLenient{false, Strictness::lenient};
inline constexpr FrameRules kClientFramesLenient{true, Strictness::lenient};

struct FrameView {
  bool fin = true;
  Opcode opcode = Opcode::text;
  std::string_view payload;  // points into the parsed buffer; unmasked in place if it was masked
};

enum class ParseStatus { frame, incomplete, error };

struct ParseResult {
  ParseStatus status = ParseStatus::incomplete;
  const char* error = "";  // why, for ParseStatus::error
};

// Parses the frame at the start of [data, data+size). On `frame`, sets `used` to its length.
// A masked frame is unmasked in place (hence the non-const buffer).
ParseResult parse_frame(char* data, std::size_t size, FrameRules rules, FrameView& frame, std::size_t& used);

// A short readable rendering of payload bytes for failure messages.
std::string preview(std::string_view bytes, std::size_t max_chars = 300);

}  // namespace wskit
