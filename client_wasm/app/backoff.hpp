// The delay before the next reconnection attempt: exponential, capped. Pure arithmetic; the
// view-model decides when attempts count as failed.
#pragma once

namespace chat::client {

struct Backoff {
  double initial_seconds = 0.5;
  double factor = 2.0;
  double max_seconds = 8.0;

  // failed_attempts = 0 for the first retry after a working connection dropped.
  double delay(int failed_attempts) const;
};

}  // namespace chat::client
