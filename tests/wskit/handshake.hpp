// The client side of the RFC 6455 opening handshake, for every test-side client: the key, the
// upgrade request, the answer's head parsed and checked (101, Upgrade, Connection, the accept
// value, no extension). Pure: no socket; the blocking and the non-blocking clients both call it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wskit {

struct HttpHead {
  std::string status_line;
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased, values trimmed

  std::string header(const std::string& lower_name) const;
};

// The head up to (not including) the blank line; nullopt if the first line is not an HTTP status.
std::optional<HttpHead> parse_http_head(std::string_view text);
std::string to_lower(std::string text);

// 16 bytes, base64: the Sec-WebSocket-Key of one handshake. From `seed` (the load generator's
// clients, reproducible and cheap) or from a random device (the tests).
std::string websocket_key(std::uint64_t seed);
std::string random_websocket_key();
// base64(SHA-1(key + GUID)), what the server must answer in Sec-WebSocket-Accept.
std::string websocket_accept(std::string_view key);

// "GET path HTTP/1.1" with Host, Upgrade, Connection, the key and version 13, then each of
// `extra_lines` ("Name: value"), then the blank line.
std::string upgrade_request(std::string_view host_port, std::string_view path, std::string_view key,
                            const std::vector<std::string>& extra_lines = {});
// Empty if `head` is a correct 101 for `key`, else what is wrong with it.
std::string upgrade_problem(const HttpHead& head, std::string_view key);

}  // namespace wskit
