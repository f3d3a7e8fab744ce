// Token buckets per client address, for limits that must hold across all of one client's
// connections (one address may open hundreds, each with its own per-connection limits): room
// creations, new resume tokens. An address's entry lives until its bucket would be full again
// (the same as no entry), so memory follows the addresses active lately, and is capped: past
// max_addresses the entry nearest to full goes (its address gets a little more than its due).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "server/core/token_bucket.hpp"

namespace chat {

class AddressBuckets {
 public:
  // burst == 0: no limit at all (nothing is kept).
  AddressBuckets(double burst, double per_second, std::size_t max_addresses)
      : burst_(burst), per_second_(per_second), max_addresses_(max_addresses) {}

  // 0 if `address` may spend a token at now_ms, else the milliseconds until it may.
  std::int64_t wait_ms(const std::string& address, std::int64_t now_ms);
  // Spends a token of `address` (check wait_ms first).
  void take(const std::string& address, std::int64_t now_ms);

  std::size_t tracked() const { return buckets_.size(); }

 private:
  struct Entry {
    TokenBucket bucket;
    std::int64_t full_at_ms;  // from then on the entry is a fresh bucket again: it can be dropped
  };
  void forget(std::int64_t now_ms);

  double burst_;
  double per_second_;
  std::size_t max_addresses_;
  std::unordered_map<std::string, Entry> buckets_;
  std::set<std::pair<std::int64_t, std::string>> by_full_at_;  // one per entry of buckets_
};

}  // namespace chat
