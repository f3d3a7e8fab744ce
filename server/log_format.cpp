// The JSON side is written by hand: four keys and string values do not need nlohmann (the codec's
// alone), and a hand-written escaper can promise valid UTF-8 whatever the message holds.
#include "server/log_format.hpp"

#include <cstdio>

#include "shared/utf8.hpp"

namespace chat {
namespace {

// RFC 3339 in UTC; JSON gets milliseconds, since collectors order lines by it.
std::string timestamp(const std::timespec& time, bool milliseconds) {
  std::tm utc{};
  gmtime_r(&time.tv_sec, &utc);
  char stamp[40];
  const std::size_t length = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  if (milliseconds) {
    std::snprintf(stamp + length, sizeof stamp - length, ".%03ldZ", static_cast<long>(time.tv_nsec / 1'000'000));
  } else {
    std::snprintf(stamp + length, sizeof stamp - length, "Z");
  }
  return stamp;
}

void append_escaped(std::string& out, char32_t code_point) {
  switch (code_point) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  // Below 0x20 JSON requires an escape; DEL and the C1 controls get one too, since a terminal
  // showing the raw log would obey them.
  if (code_point < 0x20 || (code_point >= 0x7f && code_point < 0xa0)) {
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(code_point));
    out += escape;
  }
}

std::string text_line(const LogRecord& record) {
  std::string line = timestamp(record.time, false) + " " + std::string(record.level);
  if (!record.event.empty()) line += " " + std::string(record.event);
  if (!record.message.empty()) line += " " + std::string(record.message);
  for (const auto& [key, value] : record.fields) {
    line += " " + std::string(key) + "=" + value;
  }
  return line + "\n";
}

std::string json_line(const LogRecord& record) {
  std::string line = "{\"time\":\"" + timestamp(record.time, true) + "\",\"level\":" + json_quote(record.level);
  if (!record.event.empty()) line += ",\"event\":" + json_quote(record.event);
  if (!record.message.empty()) line += ",\"message\":" + json_quote(record.message);
  for (const auto& [key, value] : record.fields) {
    line += "," + json_quote(key) + ":" + json_quote(value);
  }
  return line + "}\n";
}

}  // namespace

std::optional<LogFormat> log_format_from_string(std::string_view text) {
  if (text == "text") return LogFormat::text;
  if (text == "json") return LogFormat::json;
  return std::nullopt;
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const auto code_point = utf8::decode_next(text, pos);
    if (!code_point) {
      out += "\xef\xbf\xbd";  // U+FFFD for each byte that starts no valid sequence
      ++pos;
      continue;
    }
    const std::size_t before = out.size();
    append_escaped(out, *code_point);
    if (out.size() == before) out.append(text.substr(start, pos - start));
  }
  return out + "\"";
}

std::string format_log_record(LogFormat format, const LogRecord& record) {
  return format == LogFormat::json ? json_line(record) : text_line(record);
}

}  // namespace chat
