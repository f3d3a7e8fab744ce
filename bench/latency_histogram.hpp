// Log-linear histogram of nanosecond latencies (about 1.6 % resolution, 1 ns to ~68 s), so that
// millions of samples cost a counter increment each and percentiles need no sort.
#pragma once

#include <array>
#include <cstdint>

namespace bench {

class LatencyHistogram {
 public:
  void record(std::int64_t ns);
  void merge(const LatencyHistogram& other);
  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  // The value at or below which `fraction` (0..1) of the samples lie, as the bucket's upper edge.
  std::int64_t percentile(double fraction) const;

 private:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr int kBuckets = (37 - kSubBits + 1) << kSubBits;
  static int bucket_of(std::uint64_t ns);
  static std::int64_t upper_edge(int bucket);

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace bench
