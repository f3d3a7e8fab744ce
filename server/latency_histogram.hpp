// A Prometheus-style histogram of durations with fixed buckets: observed on the loop thread,
// rendered by metrics_report. Fixed bounds keep it a few dozen bytes and O(buckets) per sample.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace chat {

class LatencyHistogram {
 public:
  // Upper bounds in seconds. A group commit takes ~0.1-2 ms on a quiet disk; the upper buckets
  // show a disk that stalls (or a checkpoint that holds commits back).
  static constexpr std::array<double, 11> kBounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                  0.01,   0.025,   0.05,   0.1,   1.0};

  void observe(double seconds) {
    std::size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
    ++counts_[bucket];
    sum_ += seconds;
    ++count_;
  }
  // Samples at or under kBounds[i]; i == kBounds.size() is +Inf (every sample).
  std::uint64_t cumulative(std::size_t i) const {
    std::uint64_t total = 0;
    for (std::size_t b = 0; b <= i && b < counts_.size(); ++b) total += counts_[b];
    return total;
  }
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::array<std::uint64_t, kBounds.size() + 1> counts_{};  // per bucket, the last one past every bound
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace chat
