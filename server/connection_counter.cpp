// Addresses with no open connection are forgotten, so the map holds only live addresses.
#include "server/connection_counter.hpp"

namespace chat {

bool ConnectionCounter::admits(const std::string& address) const {
  if (max_total_ != 0 && total_ >= max_total_) return false;
  if (max_per_address_ == 0) return true;
  const auto it = per_address_.find(address);
  return it == per_address_.end() || it->second < max_per_address_;
}

void ConnectionCounter::opened(const std::string& address) {
  ++total_;
  ++per_address_[address];
}

void ConnectionCounter::closed(const std::string& address) {
  const auto it = per_address_.find(address);
  if (it == per_address_.end()) return;
  --total_;
  if (--it->second == 0) per_address_.erase(it);
}

}  // namespace chat
