#include "server/core/rate_limiter.hpp"

#include <algorithm>

namespace chat {

RateLimiter::Verdict RateLimiter::line(std::int64_t now_ms, double bytes) {
  if (!rates_.enabled) return {};
  const std::int64_t wait = std::max(lines_.wait_ms(now_ms), bytes_.wait_ms(now_ms, bytes));
  if (wait == 0) lines_.take(now_ms), bytes_.take(now_ms, bytes);
  return judge(wait);
}

RateLimiter::Verdict RateLimiter::request(std::int64_t now_ms) {
  if (!rates_.enabled) return {};
  return judge(requests_.take(now_ms) ? 0 : requests_.wait_ms(now_ms));
}

bool RateLimiter::line_fits(std::int64_t now_ms, double bytes) {
  return !rates_.enabled || (lines_.wait_ms(now_ms) == 0 && bytes_.wait_ms(now_ms, bytes) == 0);
}

RateLimiter::Verdict RateLimiter::judge(std::int64_t wait_ms) {
  if (wait_ms == 0) {
    refused_in_a_row_ = 0;
    return {};
  }
  return Verdict{wait_ms, ++refused_in_a_row_ >= rates_.flood_refusals};
}

}  // namespace chat
