#include "server/core/address_buckets.hpp"

#include <algorithm>
#include <limits>

namespace chat {

std::int64_t AddressBuckets::take(const std::string& address, std::int64_t now_ms) {
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_addresses_) {
      const std::int64_t wait = forget_full_buckets(now_ms);
      if (buckets_.size() >= max_addresses_) return std::max<std::int64_t>(wait, 1);
    }
    it = buckets_.emplace(address, TokenBucket(burst_, per_second_)).first;
  }
  if (it->second.take(now_ms)) return 0;
  return it->second.wait_ms(now_ms);
}

// O(addresses), but only when the map is full, and it frees every bucket that is full at once.
std::int64_t AddressBuckets::forget_full_buckets(std::int64_t now_ms) {
  std::int64_t soonest = std::numeric_limits<std::int64_t>::max();
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const std::int64_t until_full = it->second.wait_ms(now_ms, burst_);
    if (until_full == 0) {
      it = buckets_.erase(it);
    } else {
      soonest = std::min(soonest, until_full);
      ++it;
    }
  }
  return soonest;
}

}  // namespace chat
