// Repeated-key detection for the decoder: a stack of per-object key lists.
#include "duplicate_keys.hpp"

namespace chat {

void DuplicateKeys::open_object() { levels_.push_back(Level{keys_.size(), nullptr}); }

bool DuplicateKeys::add(std::string_view key) {
  if (levels_.empty()) return true;  // a parser never reports a key outside an object
  Level& level = levels_.back();
  if (level.many) return level.many->emplace(key).second;
  for (std::size_t i = level.first; i < keys_.size(); ++i) {
    if (keys_[i] == key) return false;
  }
  keys_.emplace_back(key);
  if (keys_.size() - level.first > kLinearKeys) {
    level.many = std::make_unique<std::set<std::string>>(keys_.begin() + static_cast<std::ptrdiff_t>(level.first),
                                                         keys_.end());
    keys_.resize(level.first);
  }
  return true;
}

void DuplicateKeys::close_object() {
  if (levels_.empty()) return;
  keys_.resize(levels_.back().first);
  levels_.pop_back();
}

}  // namespace chat
