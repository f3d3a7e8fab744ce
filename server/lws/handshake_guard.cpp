// Entries are kept in arrival order, which is also deadline order (every entry has the same
// deadline at any moment), so expiry and eviction both take from the front: O(log n) per kill.
#include "server/lws/handshake_guard.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace chat {

std::string network_key(const std::string& address) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;
  std::fill(v6.s6_addr + 8, v6.s6_addr + 16, 0);
  char out[INET6_ADDRSTRLEN];
  return std::string(inet_ntop(AF_INET6, &v6, out, sizeof out)) + "/64";
}

void HandshakeGuard::started(Id id, std::uint64_t now_ms) {
  finished(id);  // lws reuses memory: a new connection may have a gone one's id
  const std::uint64_t order = next_order_++;
  entries_[id] = Entry{now_ms, order, {}};
  by_age_.emplace(order, id);
}

bool HandshakeGuard::addressed(Id id, const std::string& address, bool exempt) {
  const auto it = entries_.find(id);
  if (it == entries_.end() || it->second.order == 0 || exempt) return true;
  const std::string network = network_key(address);
  std::size_t& count = per_network_[network];
  if (limits_.per_network != 0 && count >= limits_.per_network) {
    by_age_.erase(it->second.order);
    it->second.order = 0;
    refused_.push_back(id);
    return false;
  }
  ++count;
  it->second.network = network;
  return true;
}

void HandshakeGuard::finished(Id id) {
  const auto it = entries_.find(id);
  if (it != entries_.end()) forget(it);
}

void HandshakeGuard::forget(std::unordered_map<Id, Entry>::iterator it) {
  if (it->second.order != 0) by_age_.erase(it->second.order);
  if (!it->second.network.empty()) {
    const auto counted = per_network_.find(it->second.network);
    if (counted != per_network_.end() && --counted->second == 0) per_network_.erase(counted);
  }
  entries_.erase(it);
}

std::uint64_t HandshakeGuard::deadline_ms() const {
  return by_age_.size() > limits_.pressure_at ? limits_.pressure_deadline_ms : limits_.deadline_ms;
}

std::vector<HandshakeGuard::Id> HandshakeGuard::take_kills(std::uint64_t now_ms) {
  std::vector<Id> kills;
  for (const Id id : refused_) {
    const auto it = entries_.find(id);
    // Gone meanwhile, or the id is a new connection's now: only a still-refused entry is killed.
    if (it == entries_.end() || it->second.order != 0) continue;
    kills.push_back(id);
    forget(it);
  }
  refused_.clear();
  while (!by_age_.empty()) {
    const auto it = entries_.find(by_age_.begin()->second);
    const bool expired = now_ms - it->second.since_ms >= deadline_ms();
    if (!expired && by_age_.size() <= limits_.keep_at_most) break;
    kills.push_back(it->first);
    forget(it);
  }
  return kills;
}

void HandshakeGuard::restart_clocks(std::uint64_t now_ms) {
  for (auto& [id, entry] : entries_) entry.since_ms = now_ms;
}

}  // namespace chat
