// Fixed-layout chat texts and substring scanning of server frames (see chat_text.hpp).
#include "tests/loadkit/chat_text.hpp"

#include <cstdio>
#include <cstring>

namespace loadkit {
namespace {

constexpr std::size_t kSenderAt = 1, kSenderDigits = 7;
constexpr std::size_t kSeqAt = 10, kSeqDigits = 10;
constexpr std::size_t kTimeAt = 22, kTimeDigits = 20;
constexpr std::size_t kLagAt = 44, kLagDigits = 8;
constexpr std::uint32_t kMaxLag = 99'999'999;

bool read_digits(std::string_view text, std::size_t at, std::size_t count, std::uint64_t& value) {
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::string make_chat_text(const ChatStamp& stamp, std::size_t size) {
  char text[kChatTextBytes + 1];
  const unsigned lag = stamp.lag_ns > kMaxLag ? kMaxLag : stamp.lag_ns;
  const int written = std::snprintf(text, sizeof text, "S%07u Q%010u T%020lld L%08u ", stamp.sender, stamp.seq,
                                    static_cast<long long>(stamp.scheduled_ns), lag);
  std::memset(text + written, '.', kChatTextBytes - static_cast<std::size_t>(written));
  std::string result(text, kChatTextBytes);
  if (size > kChatTextBytes) result.resize(size, '.');
  return result;
}

std::optional<ChatStamp> parse_chat_text(std::string_view text) {
  if (text.size() < kChatTextBytes || text[0] != 'S' || text[kSeqAt - 1] != 'Q' || text[kTimeAt - 1] != 'T' ||
      text[kLagAt - 1] != 'L' || text.find_first_not_of('.', kChatTextBytes) != std::string_view::npos) {
    return std::nullopt;
  }
  std::uint64_t sender, seq, time, lag;
  if (!read_digits(text, kSenderAt, kSenderDigits, sender) || !read_digits(text, kSeqAt, kSeqDigits, seq) ||
      !read_digits(text, kTimeAt, kTimeDigits, time) || !read_digits(text, kLagAt, kLagDigits, lag)) {
    return std::nullopt;
  }
  return ChatStamp{static_cast<std::uint32_t>(sender), static_cast<std::uint32_t>(seq),
                   static_cast<std::int64_t>(time), static_cast<std::uint32_t>(lag)};
}

std::string user_name(std::uint32_t client) { return "b" + std::to_string(client); }
std::string room_name(std::uint32_t room) { return "r" + std::to_string(room); }

std::int64_t number_in_name(std::string_view name, char prefix) {
  if (name.size() < 2 || name.size() > 11 || name[0] != prefix) return -1;
  std::int64_t value = 0;
  for (const char c : name.substr(1)) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

FrameKind classify_frame(std::string_view json) {
  if (contains(json, R"("event":"chat")")) return FrameKind::chat;
  if (contains(json, R"("error":")")) return FrameKind::refusal;
  if (json.substr(0, 20) == R"({"action":"presence")") return FrameKind::presence;
  if (contains(json, R"("event":"logged_in")")) return FrameKind::logged_in;
  if (contains(json, R"("event":"joined")")) return FrameKind::joined;
  if (contains(json, R"("event":"room_created")")) return FrameKind::room_created;
  if (json.substr(0, 19) == R"({"action":"history")") return FrameKind::history;
  return FrameKind::other;
}

std::string_view error_code(std::string_view json) {
  constexpr std::string_view kError = R"("error":")";
  const std::size_t start = json.find(kError);
  if (start == std::string_view::npos) return {};
  const std::size_t from = start + kError.size();
  const std::size_t end = json.find('"', from);
  return end == std::string_view::npos ? std::string_view{} : json.substr(from, end - from);
}

std::optional<ChatLineView> scan_chat_line(std::string_view json) {
  constexpr std::string_view kMessage = R"("message":")";
  const std::size_t start = json.find(kMessage);
  if (start == std::string_view::npos) return std::nullopt;
  const std::size_t from = start + kMessage.size();
  const std::size_t end = json.find('"', from);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view message = json.substr(from, end - from);
  if (message.find('\\') != std::string_view::npos) return std::nullopt;
  const std::size_t colon = message.find(": ");
  if (colon == std::string_view::npos) return std::nullopt;
  return ChatLineView{message.substr(0, colon), message.substr(colon + 2)};
}

}  // namespace loadkit
