// Which connections that may hold one of lws's request-header buffers the edge keeps: those whose
// request is not complete yet (a cap per client network, a deadline that shrinks as the buffers
// run out), and kept-alive HTTP connections (answered: not capped nor timed here, lws times them
// out, but cut first-come under pressure, as each may hold a buffer for its next request).
// Pure: ids and times in, ids to kill out.
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
    // with no timeout, so the guard keeps the count below the pool: beyond `pressure_at` held
    // the deadline shrinks, beyond `keep_at_most` the oldest are cut at once.
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
  // An HTTP request of it is complete: it is answered and may be kept alive. It no longer counts
  // against its network nor has a deadline; it is cut only under pressure, newest request last.
  void answered(Id id, std::uint64_t now_ms);
  // Upgraded to a WebSocket, or gone: no longer guarded. Idempotent.
  void finished(Id id);
  // What to kill now, each then forgotten: refused ones, unfinished ones past their deadline (the
  // short one under pressure), and the oldest beyond keep_at_most.
  std::vector<Id> take_kills(std::uint64_t now_ms);
  // The loop was stalled (the process stopped, a slow machine): time it could not read does not
  // count against anyone, so every deadline starts again from now.
  void restart_clocks(std::uint64_t now_ms);

  std::size_t unfinished() const { return unfinished_.size(); }
  std::size_t held() const { return unfinished_.size() + kept_.size(); }
  bool guards(Id id) const { return entries_.count(id) != 0; }

 private:
  enum class State { unfinished, refused, kept };
  struct Entry {
    State state = State::unfinished;
    std::uint64_t since_ms = 0;
    std::uint64_t order = 0;  // key in unfinished_ or kept_
    std::string network;      // counted in per_network_; empty if not counted
  };
  using Entries = std::unordered_map<Id, Entry>;
  void forget(Entries::iterator it);
  void uncount(Entry& entry);
  std::uint64_t deadline_ms() const;
  Entries::iterator oldest_held();

  Limits limits_;
  Entries entries_;
  std::map<std::uint64_t, Id> unfinished_;  // oldest first (also the order of their deadlines)
  std::map<std::uint64_t, Id> kept_;        // oldest request first
  std::unordered_map<std::string, std::size_t> per_network_;
  std::vector<Id> refused_;
  std::uint64_t next_order_ = 1;
};

}  // namespace chat
