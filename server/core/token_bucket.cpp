// Refill is computed lazily from the time since the last use, so an idle bucket costs nothing.
#include "server/core/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace chat {

void TokenBucket::refill(std::int64_t now_ms) {
  if (last_ms_ != INT64_MIN && now_ms > last_ms_) {
    tokens_ = std::min(capacity_, tokens_ + per_second_ * static_cast<double>(now_ms - last_ms_) / 1000.0);
  }
  last_ms_ = std::max(last_ms_, now_ms);
}

bool TokenBucket::take(std::int64_t now_ms, double cost) {
  refill(now_ms);
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  return true;
}

std::int64_t TokenBucket::wait_ms(std::int64_t now_ms, double cost) {
  refill(now_ms);
  if (tokens_ >= cost) return 0;
  if (cost > capacity_ || per_second_ <= 0) return INT64_MAX;  // never fits
  return static_cast<std::int64_t>(std::ceil((cost - tokens_) * 1000.0 / per_second_));
}

}  // namespace chat
