// RFC 6455 section 5: frame building and in-place parsing, with the strict checks the tests want
// as a mode of the one parser the load generator uses on its hot path.
#include "tests/wskit/frame.hpp"

#include <cstdio>
#include <cstring>
#include <random>

namespace wskit {
namespace {

constexpr std::uint64_t kMaxPayload = std::uint64_t{1} << 31;

bool is_known(std::uint8_t opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA); }

void unmask(char* data, std::size_t size, const unsigned char key[4]) {
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>(data[i] ^ key[i & 3]);
}

void append_length(std::string& out, unsigned char mask_bit, std::size_t size) {
  if (size < 126) {
    out.push_back(static_cast<char>(mask_bit | size));
  } else if (size <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(size >> 8));
    out.push_back(static_cast<char>(size & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xFF));
  }
}

// Reads the payload length; false while the header is incomplete. `why` is set for a length a
// strict reader refuses.
bool read_length(const unsigned char* bytes, std::size_t size, bool strict, std::uint64_t& length,
                 std::size_t& header, const char*& why) {
  length = bytes[1] & 0x7F;
  header = 2;
  if (length < 126) return true;
  const std::size_t extra = length == 126 ? 2 : 8;
  if (size < 2 + extra) return false;
  length = 0;
  for (std::size_t i = 0; i < extra; ++i) length = (length << 8) | bytes[2 + i];
  header += extra;
  if (strict && ((extra == 2 && length < 126) || (extra == 8 && length <= 0xFFFF))) {
    why = "frame length not in its minimal encoding";
  }
  return true;
}

}  // namespace

void append_frame(std::string& out, std::uint8_t opcode, std::string_view payload, std::uint32_t mask,
                  FrameBits bits) {
  out.push_back(static_cast<char>((bits.fin ? 0x80 : 0) | ((bits.rsv & 0x7) << 4) | (opcode & 0x0F)));
  append_length(out, bits.masked ? 0x80 : 0x00, payload.size());
  if (!bits.masked) {
    out.append(payload);
    return;
  }
  unsigned char key[4];
  std::memcpy(key, &mask, 4);
  out.append(reinterpret_cast<const char*>(key), 4);
  const std::size_t start = out.size();
  out.append(payload);
  unmask(out.data() + start, payload.size(), key);  // XOR both ways
}

std::string encode_frame(std::uint8_t opcode, std::string_view payload, FrameBits bits) {
  thread_local std::mt19937 engine{std::random_device{}()};
  std::string out;
  out.reserve(payload.size() + 14);
  append_frame(out, opcode, payload, engine(), bits);
  return out;
}

std::string close_payload(int code, std::string_view reason) {
  std::string out;
  out += static_cast<char>((code >> 8) & 0xFF);
  out += static_cast<char>(code & 0xFF);
  return out.append(reason);
}

ParseResult parse_frame(char* data, std::size_t size, FrameRules rules, FrameView& frame, std::size_t& used) {
  if (size < 2) return {};
  const bool strict = rules.strictness == Strictness::strict;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  const std::uint8_t opcode = bytes[0] & 0x0F;
  const bool fin = (bytes[0] & 0x80) != 0;
  const bool masked = (bytes[1] & 0x80) != 0;
  if (bytes[0] & 0x70) return {ParseStatus::error, "frame with RSV bits set (no extension was negotiated)"};
  if (strict && !is_known(opcode)) return {ParseStatus::error, "frame with a reserved opcode"};
  if (masked != rules.masked) {
    return {ParseStatus::error, masked ? "frame is masked (RFC 6455 5.1 forbids it to a server)" : "frame is not masked (a client must mask)"};
  }
  std::uint64_t length = 0;
  std::size_t header = 0;
  const char* why = nullptr;
  if (!read_length(bytes, size, strict, length, header, why)) return {};
  if (why) return {ParseStatus::error, why};
  if (length > kMaxPayload) return {ParseStatus::error, "frame longer than 2 GiB"};
  if ((opcode & 0x08) && (!fin || length > 125)) {
    return {ParseStatus::error, "control frame fragmented or longer than 125 bytes"};
  }
  const std::size_t key_at = header;
  if (masked) header += 4;
  if (size < header + length) return {};
  if (masked) unmask(data + header, static_cast<std::size_t>(length), bytes + key_at);
  frame.fin = fin;
  frame.opcode = static_cast<Opcode>(opcode);
  frame.payload = std::string_view(data + header, static_cast<std::size_t>(length));
  used = header + static_cast<std::size_t>(length);
  return {ParseStatus::frame, ""};
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

}  // namespace wskit
