// JSON <-> typed frames. The only user of nlohmann/json. Never throws, and refuses hostile text
// (too large, invalid UTF-8, nested too deep) before the JSON parser allocates anything for it.
#pragma once

#include <string>
#include <string_view>

#include "limits.hpp"
#include "protocol.hpp"
#include "result.hpp"

namespace chat {

// Server side: a client's text frame and its request_id. Unknown extra fields are ignored, so that
// newer clients can add fields without breaking older servers.
ClientRequest decode_client_request(std::string_view text, const Limits& limits);
Result<ClientFrame> decode_client_frame(std::string_view text, const Limits& limits);

// Client side: a server's text frame.
Result<ServerFrame> decode_server_frame(std::string_view text, const Limits& limits);

// Compact JSON, "action" first, seed fields before our extra fields.
std::string encode(const ClientFrame& frame);
// With the request_id the answers will echo: compact JSON of an integer or a string of at most 64
// bytes (as ClientRequest holds it; docs/PROTOCOL.md, *Request ids*), written last.
std::string encode(const ClientFrame& frame, std::string_view request_id);
std::string encode(const ServerFrame& frame);

}  // namespace chat
