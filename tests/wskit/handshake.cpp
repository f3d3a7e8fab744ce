// The opening handshake's pieces (RFC 6455 section 4). OpenSSL supplies SHA-1 and base64.
#include "tests/wskit/handshake.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <random>

namespace wskit {
namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string HttpHead::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<HttpHead> parse_http_head(std::string_view text) {
  HttpHead head;
  std::size_t line_end = text.find("\r\n");
  head.status_line = std::string(text.substr(0, line_end));
  if (head.status_line.rfind("HTTP/1.", 0) != 0 || head.status_line.size() < 12) return std::nullopt;
  const std::string digits = head.status_line.substr(9, 3);
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) return std::nullopt;
  head.status = std::stoi(digits);
  while (line_end != std::string_view::npos && line_end + 2 < text.size()) {
    const std::size_t start = line_end + 2;
    line_end = text.find("\r\n", start);
    const auto line = text.substr(start, line_end == std::string_view::npos ? text.npos : line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    head.headers[to_lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return head;
}

std::string websocket_key(std::uint64_t seed) {
  unsigned char raw[16];
  for (auto& byte : raw) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    byte = static_cast<unsigned char>(seed >> 56);
  }
  return base64(raw, sizeof raw);
}

std::string random_websocket_key() {
  thread_local std::mt19937 engine{std::random_device{}()};
  unsigned char nonce[16];
  for (auto& byte : nonce) byte = static_cast<unsigned char>(engine());
  return base64(nonce, sizeof nonce);
}

std::string websocket_accept(std::string_view key) {
  std::string joined(key);
  joined.append(kGuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(joined.data(), joined.size(), digest, &digest_size, EVP_sha1(), nullptr);
  return base64(digest, digest_size);
}

std::string upgrade_request(std::string_view host_port, std::string_view path, std::string_view key,
                            const std::vector<std::string>& extra_lines) {
  std::string request;
  request.reserve(200);
  request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host_port);
  request.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key);
  request.append("\r\nSec-WebSocket-Version: 13\r\n");
  for (const auto& line : extra_lines) request.append(line).append("\r\n");
  return request.append("\r\n");
}

std::string upgrade_problem(const HttpHead& head, std::string_view key) {
  if (head.status != 101) return "upgrade refused: " + head.status_line;
  if (to_lower(head.header("upgrade")) != "websocket" ||
      to_lower(head.header("connection")).find("upgrade") == std::string::npos) {
    return "101 without Upgrade: websocket / Connection: Upgrade";
  }
  if (head.header("sec-websocket-accept") != websocket_accept(key)) {
    return "wrong Sec-WebSocket-Accept: \"" + head.header("sec-websocket-accept") + "\"";
  }
  if (!head.header("sec-websocket-extensions").empty()) {
    return "server negotiated an extension nobody asked for: " + head.header("sec-websocket-extensions");
  }
  return {};
}

}  // namespace wskit
