// The ids of one room's numbering that will never hold a line (their write failed after the id
// was given, or durable history proved the id empty): an unread count skips them. At most
// kMaxKept, the newest; an older void, forgotten, counts as one unread line too many, which a
// reader clears by reading the room (docs/ACCOUNTS.md, step 4). Pure bookkeeping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>

namespace chat {

class VoidedIds {
 public:
  static constexpr std::size_t kMaxKept = 1000;

  void add(std::int64_t id);
  // Every id from `first` to `last`, both included (a hole history proved empty); only the
  // newest kMaxKept of them can be kept, so no more are walked.
  void add_range(std::int64_t first, std::int64_t last);
  // How many of the ids in (after, upto] are void.
  std::int64_t count_in(std::int64_t after, std::int64_t upto) const;
  void clear() { ids_.clear(); }
  std::size_t size() const { return ids_.size(); }

 private:
  std::set<std::int64_t> ids_;
};

}  // namespace chat
