// Lengths below 126 fit the second byte; up to 65535 take a 16-bit extension; beyond, 64 bits,
// all in network byte order. Server frames are never masked.
#include "server/lws/websocket_frame.hpp"

#include <cstdint>

namespace chat {

std::size_t text_frame_size(std::size_t payload_bytes) {
  const std::size_t header = payload_bytes < 126 ? 2 : payload_bytes <= 0xFFFF ? 4 : 10;
  return header + payload_bytes;
}

void append_text_frame(std::string& out, std::string_view payload) {
  const std::uint64_t length = payload.size();
  out += static_cast<char>(0x81);  // FIN + opcode 1 (text)
  if (length < 126) {
    out += static_cast<char>(length);
  } else if (length <= 0xFFFF) {
    out += static_cast<char>(126);
    out += static_cast<char>(length >> 8);
    out += static_cast<char>(length & 0xFF);
  } else {
    out += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((length >> shift) & 0xFF);
  }
  out.append(payload);
}

void append_ping_frame(std::string& out) {
  // Not empty: lws 4.1.6 does not report an empty pong to the protocol callback (ops-ws.c).
  out += static_cast<char>(0x89);  // FIN + opcode 9 (ping)
  out += static_cast<char>(4);
  out += "live";
}

void append_close_frame(std::string& out, std::uint16_t code, std::string_view reason) {
  constexpr std::size_t kMaxControlPayload = 125;
  reason = reason.substr(0, kMaxControlPayload - 2);
  out += static_cast<char>(0x88);  // FIN + opcode 8 (close)
  out += static_cast<char>(2 + reason.size());
  out += static_cast<char>(code >> 8);
  out += static_cast<char>(code & 0xFF);
  out.append(reason);
}

}  // namespace chat
