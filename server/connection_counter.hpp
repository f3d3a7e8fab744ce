// Counts open WebSocket connections in total and per client address, to refuse new ones beyond
// the configured caps. Pure: the edge asks before accepting and reports opens and closes.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

namespace chat {

class ConnectionCounter {
 public:
  // 0 means no cap.
  ConnectionCounter(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Whether one more connection from `address` stays within both caps.
  bool admits(const std::string& address) const;
  void opened(const std::string& address);
  void closed(const std::string& address);
  std::size_t total() const { return total_; }

 private:
  std::size_t max_total_;
  std::size_t max_per_address_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace chat
