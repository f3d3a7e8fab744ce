// The delay before the next reconnection attempt: exponential, capped, and spread at random so
// that the clients a server restart dropped all at once do not all come back at the same instant.
// Pure arithmetic: the caller draws the random number; the view-model decides when attempts count
// as failed.
#pragma once

namespace chat::client {

struct Backoff {
  double initial_seconds = 0.5;
  double factor = 2.0;
  double max_seconds = 8.0;
  double spread = 0.5;  // the delay falls in [(1 - spread) x d, d], d the exponential delay

  // failed_attempts = 0 for the first retry after a working connection dropped. unit: uniform in
  // [0, 1); 0 gives the full delay d.
  double delay(int failed_attempts, double unit) const;
};

}  // namespace chat::client
