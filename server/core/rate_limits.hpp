// The per-connection rate limits the core enforces (token buckets), in a header of their own so
// that the settings (config.hpp, flags and environment) can carry them without the whole core.
#pragma once

namespace chat {

// Sized for people and well-behaved scripts: a pasted block of a few hundred short lines goes
// through at once, a sustained flood does not.
struct RateLimits {
  bool enabled = true;
  double line_burst = 300;            // chat lines at once
  double lines_per_second = 20;
  double byte_burst = 256 * 1024;     // chat text bytes at once
  double bytes_per_second = 32 * 1024;
  double request_burst = 30;          // logins, room creations, joins, history pages, bad frames
  double requests_per_second = 2;
  int flood_refusals = 500;           // rate_limited refusals in a row before the connection is closed
};

}  // namespace chat
