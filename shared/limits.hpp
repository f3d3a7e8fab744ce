// The size limits both sides enforce. The server may be configured with other values; the client
// uses the defaults to refuse early what the default server would refuse.
#pragma once

#include <cstddef>

namespace chat {

struct Limits {
  std::size_t max_name_code_points = 32;
  std::size_t max_room_code_points = 32;
  std::size_t max_text_bytes = 4096;
  // A whole frame, checked before parsing. Large enough that a 64 KiB chat line still reaches the
  // decoder and gets a proper "message too long" answer instead of a closed connection.
  std::size_t max_frame_bytes = 256 * 1024;
  // Protocol frames are shallow; anything deeper is hostile and is refused before parsing.
  int max_json_depth = 8;
};

// A newcomer's `rooms` frame names every room. A name is at most 32 code points: 128 bytes of
// UTF-8 (a quote or backslash, escaped, takes 2 bytes; names hold no control character), plus its
// quotes and a comma. 2 000 rooms are then at most 262 029 bytes, under the default frame limit
// (256 KiB) of the clients: no server may hold more rooms than this.
constexpr std::size_t kMaxRoomsLimit = 2000;

// v2 history pages: the default and largest page a client may ask for.
constexpr int kDefaultHistoryLimit = 50;
constexpr int kMaxHistoryLimit = 200;

}  // namespace chat
