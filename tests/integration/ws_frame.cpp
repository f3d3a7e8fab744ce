// Frame encoding and strict server-frame parsing (RFC 6455 section 5).
#include "ws_frame.hpp"

#include <cstdio>
#include <random>

#include "test_socket.hpp"

namespace chat_it {
namespace {

bool is_known(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

bool is_control(std::uint8_t opcode) { return (opcode & 0x8) != 0; }

std::uint32_t random_mask() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return engine();
}

void append_length(std::string& out, std::uint8_t mask_bit, std::size_t length) {
  if (length < 126) {
    out += static_cast<char>(mask_bit | length);
  } else if (length <= 0xFFFF) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>(length >> 8);
    out += static_cast<char>(length & 0xFF);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((length >> shift) & 0xFF);
  }
}

}  // namespace

std::string encode_frame(std::uint8_t opcode, std::string_view payload, FrameBits bits) {
  std::string out;
  out.reserve(payload.size() + 14);
  out += static_cast<char>((bits.fin ? 0x80 : 0) | ((bits.rsv & 0x7) << 4) | (opcode & 0x0F));
  append_length(out, bits.masked ? 0x80 : 0, payload.size());
  if (!bits.masked) return out.append(payload);
  const std::uint32_t mask = random_mask();
  char key[4];
  for (int i = 0; i < 4; ++i) key[i] = static_cast<char>((mask >> (8 * i)) & 0xFF);
  out.append(key, 4);
  const std::size_t start = out.size();
  out.append(payload);
  for (std::size_t i = 0; i < payload.size(); ++i) out[start + i] ^= key[i % 4];
  return out;
}

std::string close_payload(int code, std::string_view reason) {
  std::string out;
  out += static_cast<char>((code >> 8) & 0xFF);
  out += static_cast<char>(code & 0xFF);
  return out.append(reason);
}

std::optional<WireFrame> ServerFrameReader::next() {
  const auto available = buffer_.size() - pos_;
  if (available < 2) return std::nullopt;
  const auto* head = reinterpret_cast<const unsigned char*>(buffer_.data() + pos_);
  const bool fin = (head[0] & 0x80) != 0;
  const std::uint8_t opcode = head[0] & 0x0F;
  if ((head[0] & 0x70) != 0) throw HarnessFailure("server frame with RSV bits set (no extension was negotiated)");
  if (!is_known(opcode)) throw HarnessFailure("server frame with reserved opcode " + std::to_string(opcode));
  if ((head[1] & 0x80) != 0) throw HarnessFailure("server frame is masked (RFC 6455 5.1 forbids it)");
  std::size_t header = 2;
  std::uint64_t length = head[1] & 0x7F;
  if (length >= 126) {
    const std::size_t extra = length == 126 ? 2 : 8;
    if (available < 2 + extra) return std::nullopt;
    length = 0;
    for (std::size_t i = 0; i < extra; ++i) length = (length << 8) | head[2 + i];
    header += extra;
    if ((extra == 2 && length < 126) || (extra == 8 && length <= 0xFFFF)) {
      throw HarnessFailure("server frame length not in its minimal encoding");
    }
    if (extra == 8 && (length >> 63) != 0) throw HarnessFailure("server frame length has its top bit set");
  }
  if (is_control(opcode) && (!fin || length > 125)) {
    throw HarnessFailure("server control frame fragmented or longer than 125 bytes");
  }
  if (available < header + length) return std::nullopt;
  WireFrame frame{fin, static_cast<Opcode>(opcode), buffer_.substr(pos_ + header, length)};
  pos_ += header + length;
  compact();
  return frame;
}

void ServerFrameReader::compact() {
  // Erasing the front once most of the buffer is consumed keeps large bursts linear.
  if (pos_ > 64 * 1024 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

std::string preview(std::string_view bytes, std::size_t max_chars) {
  std::string out;
  for (const char c : bytes.substr(0, max_chars)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02X", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  if (bytes.size() > max_chars) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

}  // namespace chat_it
