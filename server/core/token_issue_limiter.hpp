// How many new resume tokens one client address may be given per hour: a token bucket per
// address (a burst of `per_hour`, refilled evenly over the hour). It decides; the caller refuses.
// Not its concern: what an address is (the edge's ConnectionPolicy decides, proxies included).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "server/core/token_bucket.hpp"

namespace chat {

class TokenIssueLimiter {
 public:
  static constexpr std::int64_t kWindowMs = 3'600'000;

  // per_hour == 0: no cap. max_addresses bounds the memory an address-rich attacker can make it use.
  explicit TokenIssueLimiter(std::size_t per_hour, std::size_t max_addresses = 100'000)
      : per_hour_(per_hour), max_addresses_(max_addresses) {}

  // 0 if `address` may be given a token at now_ms, else the milliseconds until it may.
  std::int64_t wait_ms(const std::string& address, std::int64_t now_ms);
  // A token was given to `address`.
  void record(const std::string& address, std::int64_t now_ms);

  std::size_t tracked() const { return buckets_.size(); }

 private:
  struct Entry {
    TokenBucket bucket;
    std::int64_t full_at_ms;  // from then on the entry is a fresh bucket again: it can be dropped
  };
  void forget(std::int64_t now_ms);

  std::size_t per_hour_;
  std::size_t max_addresses_;
  std::unordered_map<std::string, Entry> buckets_;
  std::set<std::pair<std::int64_t, std::string>> by_full_at_;  // one per entry of buckets_
};

}  // namespace chat
