// One line per event on stderr: "2026-11-24T23:59:59Z info listening ...". Nothing per chat line
// at info level. Also the sink for libwebsockets' own log lines.
#pragma once

#include <optional>
#include <string_view>

namespace chat {

enum class LogLevel { error, warn, info, debug };

std::optional<LogLevel> log_level_from_string(std::string_view text);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log_line(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace chat
