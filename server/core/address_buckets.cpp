#include "server/core/address_buckets.hpp"

namespace chat {

std::int64_t AddressBuckets::wait_ms(const std::string& address, std::int64_t now_ms) {
  if (burst_ <= 0) return 0;
  forget(now_ms);
  const auto it = buckets_.find(address);
  return it == buckets_.end() ? 0 : it->second.bucket.wait_ms(now_ms);
}

void AddressBuckets::take(const std::string& address, std::int64_t now_ms) {
  if (burst_ <= 0) return;
  forget(now_ms);
  auto [it, added] = buckets_.try_emplace(address, Entry{TokenBucket(burst_, per_second_), 0});
  if (!added) by_full_at_.erase({it->second.full_at_ms, address});
  it->second.bucket.take(now_ms);
  // An empty bucket refills in burst / rate; this take left it at least that close to full.
  it->second.full_at_ms = now_ms + static_cast<std::int64_t>(burst_ / per_second_ * 1000.0);
  by_full_at_.emplace(it->second.full_at_ms, address);
  while (buckets_.size() > max_addresses_) {
    buckets_.erase(by_full_at_.begin()->second);
    by_full_at_.erase(by_full_at_.begin());
  }
}

void AddressBuckets::forget(std::int64_t now_ms) {
  while (!by_full_at_.empty() && by_full_at_.begin()->first <= now_ms) {
    buckets_.erase(by_full_at_.begin()->second);
    by_full_at_.erase(by_full_at_.begin());
  }
}

}  // namespace chat
