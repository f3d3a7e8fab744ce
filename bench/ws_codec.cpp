// RFC 6455 framing and handshake for the load generator. OpenSSL supplies SHA-1 and base64.
#include "bench/ws_codec.hpp"

#include <openssl/evp.h>

#include <cstring>

namespace bench {
namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// Header lookup, case-insensitive on the name as HTTP wants; returns the trimmed value.
std::string_view header_value(std::string_view head, std::string_view name) {
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    const std::size_t start = pos + 2;
    const std::size_t end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, end == std::string_view::npos ? head.npos : end - start);
    const std::size_t colon = line.find(':');
    if (colon == name.size() && strncasecmp(line.data(), name.data(), name.size()) == 0) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      return value;
    }
    pos = end;
  }
  return {};
}

void unmask(char* data, std::size_t size, const unsigned char key[4]) {
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>(data[i] ^ key[i & 3]);
}

}  // namespace

std::string make_websocket_key(std::uint64_t seed) {
  unsigned char raw[16];
  for (int i = 0; i < 16; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    raw[i] = static_cast<unsigned char>(seed >> 56);
  }
  return base64(raw, sizeof raw);
}

std::string websocket_accept(std::string_view key) {
  std::string joined(key);
  joined.append(kGuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(joined.data(), joined.size(), digest, &digest_size, EVP_sha1(), nullptr);
  return base64(digest, digest_size);
}

std::string make_upgrade_request(std::string_view host_port, std::string_view path, std::string_view key) {
  std::string request;
  request.reserve(200);
  request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host_port);
  request.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key);
  request.append("\r\nSec-WebSocket-Version: 13\r\n\r\n");
  return request;
}

bool upgrade_response_ok(std::string_view head, std::string_view expected_accept) {
  if (head.substr(0, 13) != "HTTP/1.1 101 ") return false;
  const std::string_view upgrade = header_value(head, "Upgrade");
  return header_value(head, "Sec-WebSocket-Accept") == expected_accept && upgrade.size() == 9 &&
         strncasecmp(upgrade.data(), "websocket", 9) == 0;
}

void append_frame(std::string& out, Opcode opcode, std::string_view payload, std::uint32_t mask) {
  const std::size_t size = payload.size();
  const unsigned char mask_bit = mask ? 0x80 : 0x00;
  out.push_back(static_cast<char>(0x80 | static_cast<unsigned>(opcode)));
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
  if (!mask) {
    out.append(payload);
    return;
  }
  unsigned char key[4];
  std::memcpy(key, &mask, 4);
  out.append(reinterpret_cast<const char*>(key), 4);
  const std::size_t start = out.size();
  out.append(payload);
  unmask(out.data() + start, size, key);  // XOR both ways
}

ParseStatus parse_frame(char* data, std::size_t size, bool expect_masked, FrameView& frame, std::size_t& used) {
  if (size < 2) return ParseStatus::incomplete;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  if (bytes[0] & 0x70) return ParseStatus::error;  // RSV bits: we offer no extension
  const bool masked = (bytes[1] & 0x80) != 0;
  if (masked != expect_masked) return ParseStatus::error;
  std::uint64_t length = bytes[1] & 0x7F;
  std::size_t header = 2;
  if (length == 126) {
    if (size < 4) return ParseStatus::incomplete;
    length = (std::uint64_t{bytes[2]} << 8) | bytes[3];
    header = 4;
  } else if (length == 127) {
    if (size < 10) return ParseStatus::incomplete;
    length = 0;
    for (int i = 2; i < 10; ++i) length = (length << 8) | bytes[i];
    header = 10;
  }
  const std::size_t key_at = header;
  if (masked) header += 4;
  if (length > (std::uint64_t{1} << 31)) return ParseStatus::error;
  if (size < header + length) return ParseStatus::incomplete;
  frame.fin = (bytes[0] & 0x80) != 0;
  frame.opcode = static_cast<Opcode>(bytes[0] & 0x0F);
  if (masked) unmask(data + header, static_cast<std::size_t>(length), bytes + key_at);
  frame.payload = std::string_view(data + header, static_cast<std::size_t>(length));
  const bool control = (bytes[0] & 0x08) != 0;
  if (control && (!frame.fin || length > 125)) return ParseStatus::error;
  used = header + static_cast<std::size_t>(length);
  return ParseStatus::frame;
}

}  // namespace bench
