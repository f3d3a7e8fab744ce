// Dates for the log: the day separator's words ("Today", "Yesterday", "Monday 30 November 2026")
// and a line's full date for the tooltip over its time. Local time; pure apart from the zone.
#pragma once

#include <cstdint>
#include <string>

namespace chat::client {

// The local day of a time in ms since the epoch, as a number that grows by one a day (-1: none).
std::int64_t local_day(std::int64_t ts_ms);
// The separator before the first line of a day, seen at now_ms.
std::string day_text(std::int64_t ts_ms, std::int64_t now_ms);
// "Wednesday 2 December 2026, 06:40:12"; "" for ts 0.
std::string full_time_text(std::int64_t ts_ms);

}  // namespace chat::client
