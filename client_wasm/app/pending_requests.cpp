// See pending_requests.hpp. Ids are decimal integers, so the echo is read back as one.
#include "app/pending_requests.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace chat::client {

PendingRequests::PendingRequests(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::string PendingRequests::file(Asked asked) {
  if (by_id_.size() >= capacity_) by_id_.erase(by_id_.begin());  // the oldest
  const std::uint64_t id = next_id_++;
  by_id_.emplace(id, std::move(asked));
  return std::to_string(id);
}

std::optional<Asked> PendingRequests::take(std::string_view request_id) {
  std::uint64_t id = 0;
  const char* end = request_id.data() + request_id.size();
  const auto [stop, error] = std::from_chars(request_id.data(), end, id);
  if (request_id.empty() || error != std::errc() || stop != end) return std::nullopt;
  const auto found = by_id_.find(id);
  if (found == by_id_.end()) return std::nullopt;
  Asked asked = std::move(found->second);
  by_id_.erase(found);
  return asked;
}

const Asked* PendingRequests::newest(Asked::Kind kind) const {
  for (auto it = by_id_.rbegin(); it != by_id_.rend(); ++it) {
    if (it->second.kind == kind) return &it->second;
  }
  return nullptr;
}

}  // namespace chat::client
