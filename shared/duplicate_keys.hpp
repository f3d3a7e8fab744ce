// Finds a key repeated inside one JSON object, at any depth, from the events a parser reports
// (object opened, key read, object closed). It knows nothing of JSON text itself.
#pragma once

#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

class DuplicateKeys {
 public:
  void open_object();
  // False if `key` was already read in the innermost open object.
  bool add(std::string_view key);
  void close_object();

 private:
  // Protocol objects have a handful of keys, compared in a flat list with no allocation beyond
  // the strings; past kLinearKeys an object's keys move to a sorted set, so a hostile object with
  // 30 000 keys costs O(n log n) comparisons, not O(n^2) (a hash set could be flooded).
  static constexpr std::size_t kLinearKeys = 16;
  struct Level {
    std::size_t first;                          // this object's keys are keys_[first..]
    std::unique_ptr<std::set<std::string>> many;  // once it has more than kLinearKeys
  };

  std::vector<std::string> keys_;
  std::vector<Level> levels_;
};

}  // namespace chat
