// One line per event on stderr: "2026-11-24T23:59:59Z info listening ...", or with --log-format
// json one JSON object per line (see log_format.hpp). Nothing per chat line at info level. Also the
// sink for libwebsockets' own log lines.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "server/log_format.hpp"

namespace chat {

enum class LogLevel { error, warn, info, debug };

std::optional<LogLevel> log_level_from_string(std::string_view text);
void set_log_level(LogLevel level);
void set_log_format(LogFormat format);
bool log_enabled(LogLevel level);
void log_line(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));
// An event with named fields, for what a collector may want to filter on ("listening", address=...).
void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);

}  // namespace chat
