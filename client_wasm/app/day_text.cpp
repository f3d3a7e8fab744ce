// English words, as the rest of the interface; strftime's %A/%B in the "C" locale give them.
#include "app/day_text.hpp"

#include <ctime>

namespace chat::client {
namespace {

bool local(std::int64_t ts_ms, std::tm& out) {
  if (ts_ms <= 0) return false;
  const std::time_t seconds = static_cast<std::time_t>(ts_ms / 1000);
  return localtime_r(&seconds, &out) != nullptr;
}

std::string format(const std::tm& tm, const char* pattern) {
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, pattern, &tm);
  return std::string(text, n);
}

}  // namespace

std::int64_t local_day(std::int64_t ts_ms) {
  std::tm tm{};
  if (!local(ts_ms, tm)) return -1;
  // Days from a civil date (Howard Hinnant's algorithm): no time zone arithmetic needed.
  const int y = tm.tm_year + 1900 - (tm.tm_mon < 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int m = tm.tm_mon + 1;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + tm.tm_mday - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe;
}

std::string day_text(std::int64_t ts_ms, std::int64_t now_ms) {
  const std::int64_t day = local_day(ts_ms);
  const std::int64_t today = local_day(now_ms);
  if (day < 0) return "";
  if (day == today) return "Today";
  if (day == today - 1) return "Yesterday";
  std::tm tm{};
  local(ts_ms, tm);
  return format(tm, "%A ") + std::to_string(tm.tm_mday) + format(tm, " %B %Y");
}

std::string full_time_text(std::int64_t ts_ms) {
  std::tm tm{};
  if (!local(ts_ms, tm)) return "";
  return format(tm, "%A ") + std::to_string(tm.tm_mday) + format(tm, " %B %Y, %H:%M:%S");
}

}  // namespace chat::client
