// RFC 6455 rules the edge checks itself because libwebsockets 4.1.6 does not: the opening
// handshake's version and key (4.2.1) and the peer's close frame (5.5.1, 7.4). Pure.
#pragma once

#include <string_view>

namespace chat {

enum class UpgradeVerdict {
  accept,
  bad_key,              // answer 400: Sec-WebSocket-Key absent or not base64 of 16 bytes
  unsupported_version,  // answer 426 with "Sec-WebSocket-Version: 13"
};

// version, key: the Sec-WebSocket-Version and Sec-WebSocket-Key headers ("" when absent).
UpgradeVerdict check_upgrade(std::string_view version, std::string_view key);

// The close code to fail the connection with for the payload of a peer's close frame: 1002 for a
// 1-byte payload or a code no endpoint may send, 1007 for a reason that is not UTF-8; 0 if the
// frame is fine (then it is echoed).
int close_frame_error(std::string_view payload);

}  // namespace chat
