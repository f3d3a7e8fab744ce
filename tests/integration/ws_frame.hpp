// RFC 6455 framing for the test client: builds client frames (masked, or deliberately broken) and
// reads server frames strictly, so that any framing mistake of the server fails the test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat_it {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// What a frame header says beyond opcode and length; the defaults make a valid client frame.
struct FrameBits {
  bool fin = true;
  bool masked = true;
  std::uint8_t rsv = 0;  // the three RSV bits, as 0..7
};

std::string encode_frame(std::uint8_t opcode, std::string_view payload, FrameBits bits = {});
inline std::string encode_frame(Opcode opcode, std::string_view payload, FrameBits bits = {}) {
  return encode_frame(static_cast<std::uint8_t>(opcode), payload, bits);
}
// A close frame's payload: the code in network order, then the reason.
std::string close_payload(int code, std::string_view reason = {});

struct WireFrame {
  bool fin = true;
  Opcode opcode = Opcode::text;
  std::string payload;
};

// Reads server frames from a byte stream. Throws HarnessFailure on anything RFC 6455 forbids a
// server to send on a connection without extensions.
class ServerFrameReader {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  std::optional<WireFrame> next();
  bool has_partial_frame() const { return pos_ < buffer_.size(); }

 private:
  void compact();
  std::string buffer_;
  std::size_t pos_ = 0;
};

// A short readable rendering of payload bytes for failure messages.
std::string preview(std::string_view bytes, std::size_t max_chars = 300);

}  // namespace chat_it
