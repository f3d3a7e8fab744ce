// A single write per line keeps lines whole, even if a store thread logs at the same time; the
// level and format are set once at start-up, before any other thread exists.
#include "server/log.hpp"

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace chat {
namespace {

LogLevel g_level = LogLevel::info;
LogFormat g_format = LogFormat::text;

const char* name(LogLevel level) {
  switch (level) {
    case LogLevel::error: return "error";
    case LogLevel::warn: return "warn";
    case LogLevel::info: return "info";
    case LogLevel::debug: return "debug";
  }
  return "?";
}

void write_record(LogRecord& record) {
  std::timespec now{};
  std::timespec_get(&now, TIME_UTC);
  record.time = now;
  const std::string line = format_log_record(g_format, record);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

std::optional<LogLevel> log_level_from_string(std::string_view text) {
  for (const auto level : {LogLevel::error, LogLevel::warn, LogLevel::info, LogLevel::debug}) {
    if (text == name(level)) return level;
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) { g_level = level; }
void set_log_format(LogFormat format) { g_format = format; }
bool log_enabled(LogLevel level) { return level <= g_level; }

void log_line(LogLevel level, const char* format, ...) {
  if (!log_enabled(level)) return;
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  LogRecord record;
  record.level = name(level);
  record.message = message;
  write_record(record);
}

void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (!log_enabled(level)) return;
  LogRecord record;
  record.level = name(level);
  record.event = event;
  record.fields = fields;
  write_record(record);
}

}  // namespace chat
