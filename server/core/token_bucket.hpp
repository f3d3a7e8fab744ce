// A token bucket: `capacity` tokens, refilled continuously at `per_second`; a request takes
// tokens or is refused with the time until it would fit. Time is passed in, never read.
#pragma once

#include <cstdint>

namespace chat {

class TokenBucket {
 public:
  TokenBucket(double capacity, double per_second) : capacity_(capacity), per_second_(per_second), tokens_(capacity) {}

  // Takes `cost` tokens if there are enough at `now_ms`; otherwise takes nothing.
  bool take(std::int64_t now_ms, double cost = 1);
  // Milliseconds until `cost` tokens are available (0 if they are now).
  std::int64_t wait_ms(std::int64_t now_ms, double cost = 1);

 private:
  void refill(std::int64_t now_ms);

  double capacity_;
  double per_second_;
  double tokens_;
  std::int64_t last_ms_ = INT64_MIN;  // INT64_MIN: never used, the bucket starts full
};

}  // namespace chat
