// Bucketing: values below 64 get one bucket each; above, each power of two is split in 64.
#include "bench/latency_histogram.hpp"

#include <algorithm>

namespace bench {

int LatencyHistogram::bucket_of(std::uint64_t ns) {
  if (ns < (1u << kSubBits)) return static_cast<int>(ns);
  const int top = 63 - __builtin_clzll(ns);  // >= kSubBits
  const int shift = top - kSubBits;
  const int sub = static_cast<int>((ns >> shift) & ((1u << kSubBits) - 1));
  return std::min(((shift + 1) << kSubBits) + sub, kBuckets - 1);
}

std::int64_t LatencyHistogram::upper_edge(int bucket) {
  if (bucket < (1 << kSubBits)) return bucket;
  const int shift = (bucket >> kSubBits) - 1;
  const std::uint64_t sub = static_cast<std::uint64_t>(bucket & ((1 << kSubBits) - 1));
  return static_cast<std::int64_t>((((std::uint64_t{1} << kSubBits) | sub) + 1) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t ns) {
  if (ns < 0) ns = 0;
  ++counts_[static_cast<std::size_t>(bucket_of(static_cast<std::uint64_t>(ns)))];
  ++count_;
  max_ = std::max(max_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::int64_t LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(fraction * static_cast<double>(count_) + 0.5);
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[static_cast<std::size_t>(i)];
    if (seen >= std::max<std::uint64_t>(rank, 1)) return std::min(upper_edge(i), max_);
  }
  return max_;
}

}  // namespace bench
