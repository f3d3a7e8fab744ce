// Server-to-client WebSocket framing (RFC 6455 §5.2): the header of an unmasked, unfragmented
// text frame. Used to hand many queued frames to the kernel in one write. No libwebsockets here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

constexpr std::size_t kMaxFrameHeaderBytes = 10;

// Appends the header then the payload.
void append_text_frame(std::string& out, std::string_view payload);
std::size_t text_frame_size(std::size_t payload_bytes);

}  // namespace chat
