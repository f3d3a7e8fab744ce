// The stamped chat lines of the benchmark and the soak, and how they recognise server frames. The
// 64-byte text carries sender, sequence number and timestamps at fixed offsets, so a receiver reads
// them without a JSON parser; the scanner is cross-checked against chat_shared's encoder in the
// unit test. The frames they send are chat_shared's encoder's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadkit {

constexpr std::size_t kChatTextBytes = 64;

// What a line says about itself. scheduled_ns is the monotonic time the line was due (open loop)
// or written (window); lag_ns how late the generator actually wrote it (capped at 99 ms).
struct ChatStamp {
  std::uint32_t sender = 0;
  std::uint32_t seq = 0;
  std::int64_t scheduled_ns = 0;
  std::uint32_t lag_ns = 0;
};

// "S0000017 Q0000000042 T00000012345678901234 L00001234 " then '.' up to `size` bytes (at least
// 64: the soak's bulky lines carry the same stamp, padded further).
std::string make_chat_text(const ChatStamp& stamp, std::size_t size = kChatTextBytes);
// nullopt unless the text is a stamp followed by nothing but padding.
std::optional<ChatStamp> parse_chat_text(std::string_view text);

std::string user_name(std::uint32_t client);  // "b17"
std::string room_name(std::uint32_t room);    // "r17"
// The number after `prefix` in a name such as "b17" (prefix 'b'), or -1 if it is not one.
std::int64_t number_in_name(std::string_view name, char prefix);

// What a server text frame is, as far as the benchmark and the soak care. v2 presence frames carry
// an "event" of their own ("joined", "left") and must not pass for our own join.
// history: a version-2 `history` page, the last frame of a join (after `joined` and `members`).
enum class FrameKind { chat, logged_in, joined, room_created, refusal, presence, history, other };

struct ChatLineView {
  std::string_view user;  // the author, from the message's "USER: " prefix
  std::string_view text;  // what follows it
};

// Scans, never parses fully: a frame holding "event":"chat" must be a chat line whose message is
// `USER: TEXT` with no JSON escapes (our users and texts have none), else it is malformed
// (nullopt). Other frames are classified by their "event"/"error" field.
FrameKind classify_frame(std::string_view json);
std::optional<ChatLineView> scan_chat_line(std::string_view json);
// The code of a refusal ("rate_limited"), empty if the frame carries no "error".
std::string_view error_code(std::string_view json);

}  // namespace loadkit
