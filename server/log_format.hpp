// How one log line looks, in either format; pure (no clock, no stream) so it is unit-tested. Text
// is for people ("2026-11-24T23:59:59Z info listening ..."); JSON is one object per line for log
// collectors: {"time":"...","level":"info","event":"listening","address":"..."} or "message".
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat {

enum class LogFormat { text, json };

std::optional<LogFormat> log_format_from_string(std::string_view text);

// A named value attached to an event; values are strings in both formats.
using LogField = std::pair<std::string_view, std::string>;

struct LogRecord {
  std::timespec time{};
  std::string_view level;
  std::string_view event;    // a short stable name ("listening"); empty for a free-form message
  std::string_view message;  // free text (the printf-style lines); may be empty for an event
  std::vector<LogField> fields;
};

// One line, ending in '\n'. Whatever bytes the message holds (a peer's Origin, lws's own text),
// the JSON line is valid UTF-8 with every control character escaped, so it stays one line.
std::string format_log_record(LogFormat format, const LogRecord& record);

// A JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD.
std::string json_quote(std::string_view text);

}  // namespace chat
