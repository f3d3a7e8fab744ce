// Token buckets per client address, for limits that must hold across all of one client's
// connections (one address may open hundreds, each with its own per-connection limits). The map
// is capped: when full, buckets that have refilled completely are forgotten first (they hold no
// memory of anything); if none has, a new address is refused until one has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "server/core/token_bucket.hpp"

namespace chat {

class AddressBuckets {
 public:
  AddressBuckets(double burst, double per_second, std::size_t max_addresses)
      : burst_(burst), per_second_(per_second), max_addresses_(max_addresses) {}

  // 0 if `address` may spend a token now (and it is spent), else milliseconds until it may.
  std::int64_t take(const std::string& address, std::int64_t now_ms);
  std::size_t size() const { return buckets_.size(); }

 private:
  // Frees the buckets that are full again; the time until the soonest one will be if none is.
  std::int64_t forget_full_buckets(std::int64_t now_ms);

  double burst_;
  double per_second_;
  std::size_t max_addresses_;
  std::unordered_map<std::string, TokenBucket> buckets_;
};

}  // namespace chat
