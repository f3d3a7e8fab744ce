#include "server/core/voided_ids.hpp"

#include <algorithm>
#include <iterator>

namespace chat {

void VoidedIds::add(std::int64_t id) {
  ids_.insert(id);
  if (ids_.size() > kMaxKept) ids_.erase(ids_.begin());
}

void VoidedIds::add_range(std::int64_t first, std::int64_t last) {
  const std::int64_t newest_kept = static_cast<std::int64_t>(kMaxKept);
  for (std::int64_t id = std::max(first, last - newest_kept + 1); id <= last; ++id) add(id);
}

std::int64_t VoidedIds::count_in(std::int64_t after, std::int64_t upto) const {
  if (upto <= after) return 0;
  return static_cast<std::int64_t>(std::distance(ids_.upper_bound(after), ids_.upper_bound(upto)));
}

}  // namespace chat
