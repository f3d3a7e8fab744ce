#include "server/lws/sweep_rotation.hpp"

namespace chat {

SweepRotation::Slice SweepRotation::next(std::size_t count) {
  if (count == 0) return Slice(0, 0, 1);
  const std::size_t length = (count + kSlices - 1) / kSlices;
  const std::size_t first = cursor_ >= count ? 0 : cursor_;
  cursor_ = first + length;
  if (cursor_ > count) cursor_ -= count;  // wrapped round
  return Slice(first, length, count);
}

}  // namespace chat
