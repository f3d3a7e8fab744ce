// Which connections that have not finished their first request (accepted, headers incomplete) the
// edge keeps: a cap per client network, and deadlines that shrink as lws's header buffers run out.
// Pure (ids and times in, ids to kill out); it does not know about requests already answered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace chat {

// The key a per-address cap counts: an IPv6 address by its /64 (one subscriber's network, which
// hands its hosts any number of addresses), anything else as it is.
std::string network_key(const std::string& address);

class HandshakeGuard {
 public:
  using Id = std::uintptr_t;

  struct Limits {
    std::size_t per_network = 64;  // unfinished at once per network_key; 0: no cap
    // lws holds a header buffer for each unfinished connection; newcomers wait for a free one,
    // with no timeout, so the guard keeps the count below the pool: beyond `pressure_at` the
    // deadline shrinks, beyond `keep_at_most` the oldest are cut at once.
    std::size_t pressure_at = 512;
    std::size_t keep_at_most = 768;
    std::uint64_t deadline_ms = 10000;
    std::uint64_t pressure_deadline_ms = 2000;
  };

  explicit HandshakeGuard(Limits limits) : limits_(limits) {}

  // A connection was accepted; its address comes later (lws reports it in a second callback).
  void started(Id id, std::uint64_t now_ms);
  // Its peer address. `exempt` (a trusted proxy, which forwards only complete requests) is not
  // counted per network. False when the network is over its cap: take_kills returns it.
  bool addressed(Id id, const std::string& address, bool exempt);
  // Its request is complete (answered or upgraded), or it is gone: no longer guarded. Idempotent.
  void finished(Id id);
  // What to kill now, each then forgotten: refused ones, those past their deadline (the short one
  // under pressure), and the oldest beyond keep_at_most.
  std::vector<Id> take_kills(std::uint64_t now_ms);
  // The loop was stalled (the process stopped, a slow machine): time it could not read does not
  // count against anyone, so every deadline starts again from now.
  void restart_clocks(std::uint64_t now_ms);

  std::size_t unfinished() const { return by_age_.size(); }
  bool guards(Id id) const { return entries_.count(id) != 0; }

 private:
  struct Entry {
    std::uint64_t since_ms = 0;
    std::uint64_t order = 0;  // key in by_age_; 0 once refused (then not in by_age_)
    std::string network;      // counted in per_network_; empty if not counted
  };
  void forget(std::unordered_map<Id, Entry>::iterator it);
  std::uint64_t deadline_ms() const;

  Limits limits_;
  std::unordered_map<Id, Entry> entries_;
  std::map<std::uint64_t, Id> by_age_;  // admitted ones, oldest first
  std::unordered_map<std::string, std::size_t> per_network_;
  std::vector<Id> refused_;
  std::uint64_t next_order_ = 1;
};

}  // namespace chat
