// RFC 6455 pieces the load generator needs: the client's upgrade request and its check, building
// frames (masked from a client, unmasked from a peer server) and zero-copy parsing of frames.
// It owns no socket and no buffer: callers hand it bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bench {

enum class Opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// 16 random bytes, base64: the Sec-WebSocket-Key of one handshake.
std::string make_websocket_key(std::uint64_t seed);
// base64(SHA-1(key + GUID)), what the server must answer in Sec-WebSocket-Accept.
std::string websocket_accept(std::string_view key);
std::string make_upgrade_request(std::string_view host_port, std::string_view path, std::string_view key);
// Checks a complete response head (up to and including the blank line): 101 and the right accept.
bool upgrade_response_ok(std::string_view head, std::string_view expected_accept);

// Appends one FIN frame. mask 0 builds an unmasked (server) frame; RFC 6455 wants a client's key
// unpredictable, which matters against proxies, not for a benchmark on loopback.
void append_frame(std::string& out, Opcode opcode, std::string_view payload, std::uint32_t mask);

struct FrameView {
  bool fin = true;
  Opcode opcode = Opcode::text;
  std::string_view payload;  // points into the parsed buffer; unmasked in place if it was masked
};

enum class ParseStatus { frame, incomplete, error };

// Parses the frame at the start of [data, data+size). On `frame`, sets `used` to its length.
// A masked frame is unmasked in place (hence the non-const buffer); `expect_masked` says which
// side we are: a server must never mask, a client always must.
ParseStatus parse_frame(char* data, std::size_t size, bool expect_masked, FrameView& frame, std::size_t& used);

}  // namespace bench
