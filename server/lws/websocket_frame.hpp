// Server-to-client WebSocket framing (RFC 6455 §5.2): unmasked, unfragmented text and close
// frames. Used to hand many queued frames to the kernel in one write. No libwebsockets here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chat {

constexpr std::size_t kMaxFrameHeaderBytes = 10;

// Appends the header then the payload.
void append_text_frame(std::string& out, std::string_view payload);
// A ping frame with a short payload (the server's liveness probe).
void append_ping_frame(std::string& out);
// A close frame: the 2-byte status code then the reason, cut to fit a control frame (125 bytes).
void append_close_frame(std::string& out, std::uint16_t code, std::string_view reason);
std::size_t text_frame_size(std::size_t payload_bytes);

}  // namespace chat
