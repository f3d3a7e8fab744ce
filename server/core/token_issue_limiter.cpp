// An address's entry lives for one hour after its last token (by then its bucket is full again,
// the same as no entry), so memory follows the addresses active in the last hour, capped.
#include "server/core/token_issue_limiter.hpp"

namespace chat {

std::int64_t TokenIssueLimiter::wait_ms(const std::string& address, std::int64_t now_ms) {
  if (per_hour_ == 0) return 0;
  forget(now_ms);
  const auto it = buckets_.find(address);
  return it == buckets_.end() ? 0 : it->second.bucket.wait_ms(now_ms);
}

void TokenIssueLimiter::record(const std::string& address, std::int64_t now_ms) {
  if (per_hour_ == 0) return;
  forget(now_ms);
  const double capacity = static_cast<double>(per_hour_);
  auto [it, added] = buckets_.try_emplace(address, Entry{TokenBucket(capacity, capacity * 1000.0 / kWindowMs), 0});
  if (!added) by_full_at_.erase({it->second.full_at_ms, address});
  it->second.bucket.take(now_ms);
  // An empty bucket refills in exactly one window; this take left it at least that close to full.
  it->second.full_at_ms = now_ms + kWindowMs;
  by_full_at_.emplace(it->second.full_at_ms, address);
  // Past the cap the entry closest to being full goes: its address gets a little more than its due.
  while (buckets_.size() > max_addresses_) {
    buckets_.erase(by_full_at_.begin()->second);
    by_full_at_.erase(by_full_at_.begin());
  }
}

void TokenIssueLimiter::forget(std::int64_t now_ms) {
  while (!by_full_at_.empty() && by_full_at_.begin()->first <= now_ms) {
    buckets_.erase(by_full_at_.begin()->second);
    by_full_at_.erase(by_full_at_.begin());
  }
}

}  // namespace chat
