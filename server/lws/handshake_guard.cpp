// Both queues are kept in arrival order, which for unfinished connections is also deadline order
// (they all have the same deadline at any moment): expiry and eviction take from the fronts,
// O(log n) per kill.
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
  entries_[id] = Entry{State::unfinished, now_ms, order, {}};
  unfinished_.emplace(order, id);
}

bool HandshakeGuard::addressed(Id id, const std::string& address, bool exempt) {
  const auto it = entries_.find(id);
  if (it == entries_.end() || it->second.state != State::unfinished || exempt) return true;
  const std::string network = network_key(address);
  std::size_t& count = per_network_[network];
  if (limits_.per_network != 0 && count >= limits_.per_network) {
    unfinished_.erase(it->second.order);
    it->second.state = State::refused;
    refused_.push_back(id);
    return false;
  }
  ++count;
  it->second.network = network;
  return true;
}

void HandshakeGuard::answered(Id id, std::uint64_t now_ms) {
  const auto it = entries_.find(id);
  if (it == entries_.end() || it->second.state == State::refused) return;
  Entry& entry = it->second;
  uncount(entry);
  (entry.state == State::unfinished ? unfinished_ : kept_).erase(entry.order);
  entry = Entry{State::kept, now_ms, next_order_++, {}};
  kept_.emplace(entry.order, id);
}

void HandshakeGuard::finished(Id id) {
  const auto it = entries_.find(id);
  if (it != entries_.end()) forget(it);
}

void HandshakeGuard::uncount(Entry& entry) {
  if (entry.network.empty()) return;
  const auto counted = per_network_.find(entry.network);
  if (counted != per_network_.end() && --counted->second == 0) per_network_.erase(counted);
  entry.network.clear();
}

void HandshakeGuard::forget(Entries::iterator it) {
  uncount(it->second);
  if (it->second.state == State::unfinished) unfinished_.erase(it->second.order);
  if (it->second.state == State::kept) kept_.erase(it->second.order);
  entries_.erase(it);
}

std::uint64_t HandshakeGuard::deadline_ms() const {
  return held() > limits_.pressure_at ? limits_.pressure_deadline_ms : limits_.deadline_ms;
}

HandshakeGuard::Entries::iterator HandshakeGuard::oldest_held() {
  const bool kept_older =
      unfinished_.empty() || (!kept_.empty() && kept_.begin()->first < unfinished_.begin()->first);
  return entries_.find(kept_older ? kept_.begin()->second : unfinished_.begin()->second);
}

std::vector<HandshakeGuard::Id> HandshakeGuard::take_kills(std::uint64_t now_ms) {
  std::vector<Id> kills;
  for (const Id id : refused_) {
    const auto it = entries_.find(id);
    // Gone meanwhile, or the id is a new connection's now: only a still-refused entry is killed.
    if (it == entries_.end() || it->second.state != State::refused) continue;
    kills.push_back(id);
    forget(it);
  }
  refused_.clear();
  while (!unfinished_.empty()) {
    const auto it = entries_.find(unfinished_.begin()->second);
    if (now_ms - it->second.since_ms < deadline_ms()) break;
    kills.push_back(it->first);
    forget(it);
  }
  while (held() > limits_.keep_at_most) {
    const auto it = oldest_held();
    kills.push_back(it->first);
    forget(it);
  }
  return kills;
}

void HandshakeGuard::restart_clocks(std::uint64_t now_ms) {
  for (auto& [id, entry] : entries_) entry.since_ms = now_ms;
}

}  // namespace chat
