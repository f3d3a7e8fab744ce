// RateLimiter: one connection's rate limits. Chat lines spend a line bucket and a byte bucket;
// every other request (unreadable frames included) spends the request bucket. A connection that
// goes on sending into many refusals in a row is flooding, and is to be closed. Time is passed in.
#pragma once

#include <cstdint>

#include "server/core/rate_limits.hpp"
#include "server/core/token_bucket.hpp"

namespace chat {

class RateLimiter {
 public:
  explicit RateLimiter(const RateLimits& rates)
      : rates_(rates), lines_(rates.line_burst, rates.lines_per_second),
        bytes_(rates.byte_burst, rates.bytes_per_second), requests_(rates.request_burst, rates.requests_per_second) {}

  struct Verdict {
    std::int64_t wait_ms = 0;  // 0: allowed (and spent); else refused, with when it would be allowed
    bool flooding = false;     // refused once too often in a row: close the connection
  };
  Verdict line(std::int64_t now_ms, double bytes);
  Verdict request(std::int64_t now_ms);
  // Whether a line of `bytes` would be allowed now, spending nothing.
  bool line_fits(std::int64_t now_ms, double bytes);

 private:
  Verdict judge(std::int64_t wait_ms);

  const RateLimits& rates_;
  TokenBucket lines_;
  TokenBucket bytes_;
  TokenBucket requests_;
  int refused_in_a_row_ = 0;
};

}  // namespace chat
