// Sequence bookkeeping for one (receiver, sender) stream; see delivery_check.hpp.
#include "tests/loadkit/delivery_check.hpp"

#include <algorithm>

namespace loadkit {

DeliveryCounts& DeliveryCounts::operator+=(const DeliveryCounts& other) {
  received += other.received;
  duplicated += other.duplicated;
  reordered += other.reordered;
  lost += other.lost;
  return *this;
}

bool StreamCheck::receive(std::uint32_t seq, DeliveryCounts& counts) {
  if (seq == next_) {
    ++next_;
    ++counts.received;
    return true;
  }
  if (seq > next_) {
    // A gap: remember it, but cap the bookkeeping so a wild sequence number cannot eat memory.
    for (std::uint32_t s = next_; s < seq && missing_.size() < 1'000'000; ++s) missing_.push_back(s);
    next_ = seq + 1;
    ++counts.received;
    return true;
  }
  const auto it = std::find(missing_.begin(), missing_.end(), seq);
  if (it == missing_.end()) {
    ++counts.duplicated;
    return false;
  }
  missing_.erase(it);
  ++counts.received;
  ++counts.reordered;
  return true;
}

void StreamCheck::finish(std::uint32_t sent, DeliveryCounts& counts) const {
  counts.lost += missing_.size();
  if (sent > next_) counts.lost += sent - next_;
}

}  // namespace loadkit
