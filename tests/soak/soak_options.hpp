// chat_soak's command line: how long, how many of each kind of client, how often to report.
// The defaults keep every honest client inside the server's default rate limits (docs/PROTOCOL.md,
// "Rate limits") and the whole soak under the default 500 connections per address.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace soak {

struct SoakOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  pid_t server_pid = 0;  // 0: no /proc figures and no check that the server is still alive
  double duration_s = 180;
  double report_every_s = 10;
  double drain_s = 5;          // after the traffic: time for lines in flight to arrive
  double setup_timeout_s = 30;
  std::uint64_t seed = 1;
  // Honest chatters, in `rooms` rooms, each sending `chat_rate` lines/s on average (64 bytes).
  int chatters = 200;
  int rooms = 20;
  double chat_rate = 0.5;
  // The busy room: bulky lines at a steady rate (under the 32 KiB/s byte limit per sender),
  // heard by a few plain readers and by the slow readers, whose server queue it fills.
  int fire_senders = 8;
  int fire_readers = 4;
  double fire_rate = 10;
  int fire_bytes = 3000;
  int slow_readers = 3;
  int churners = 30;        // present at any moment; each one replaced when it leaves
  double hostile_rate = 2;  // hostile connections begun per second
};

// Parses argv; on error or --help returns false with the text to print in `message`.
bool parse_soak_options(int argc, char** argv, SoakOptions& options, std::string& message);

}  // namespace soak
