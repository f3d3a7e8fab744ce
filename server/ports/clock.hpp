// The port for time: the core asks it, never the system, so tests run on a fake clock.
#pragma once

#include <cstdint>

namespace chat {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (wall time: it is shown to people as line timestamps).
  virtual std::int64_t now_ms() = 0;
};

}  // namespace chat
