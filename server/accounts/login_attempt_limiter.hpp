// How fast passwords may be tried: per name (the account's key) and per client address, so that
// neither one account nor one machine can be brute-forced at the speed of the hasher. Pure: the
// time comes from the Clock, and the caller holds or refuses attempts as told. Not the hashing
// (PasswordHasher) nor the per-connection request buckets (RateLimiter).
//
// Every attempt counts as a failure from the moment it is let through, and a success takes it
// back: attempts sent in parallel (one name from many connections) are spaced exactly like
// attempts sent one after the other, though their verdicts are not known yet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "server/ports/clock.hpp"

namespace chat {

// The spacing of one kind of key (names, or addresses).
struct AttemptSpacing {
  int free_attempts;             // this many go at once
  std::int64_t first_delay_ms;   // then each waits this long after the one before, doubling...
  std::int64_t max_delay_ms;     // ... up to this
  int refuse_after;              // from this many counted on, an attempt that would wait is refused
  std::int64_t forget_after_ms;  // a key with no attempt due for this long starts over
};

struct LoginAttemptPolicy {
  // A person who mistypes: 3 at once, then 1 s, 2 s, 4 s apart; a 7th before its slot is refused.
  // A guesser settles at one guess a minute per name (1 440 a day).
  AttemptSpacing per_name{3, 1'000, 60'000, 6, 15 * 60'000};
  // A classroom behind one NAT signs in together (30 at once; successes are taken back); a
  // machine spraying guesses over many names settles at one a minute too.
  AttemptSpacing per_address{30, 250, 60'000, 50, 15 * 60'000};
  // An attempt is never held longer than this: the caller would be holding a request (and its
  // connection's later ones) that long. Past it, it is refused with the wait as retry_after.
  std::int64_t max_hold_ms = 10'000;
  // Keys tracked per kind (~250 bytes each). Past it, the key closest to being forgotten anyway
  // (the least recently tried) is forgotten: it starts over, which a flood of other names from
  // other addresses could provoke: stated, and the reason the cap is generous.
  std::size_t max_tracked = 100'000;
};

// `refused`: answer `rate_limited` with retry_after_ms = wait_ms; nothing was counted.
// Otherwise the attempt is counted and may run wait_ms from now (0: at once).
struct LoginAttemptDecision {
  bool refused = false;
  std::int64_t wait_ms = 0;
};

class LoginAttemptLimiter {
 public:
  LoginAttemptLimiter(LoginAttemptPolicy policy, Clock& clock);

  // `name_key`: the account's key when the name belongs to one (so that look-alike spellings of it
  // share one count), else the name's identity key. `address`: as per-address limits count it.
  LoginAttemptDecision begin(const std::string& name_key, const std::string& address);
  // The password was right: the name starts over, and the address gets its attempt back (its
  // other failures stand: one valid account must not launder a machine's guesses on others).
  void succeeded(const std::string& name_key, const std::string& address);
  // The attempt never reached a verdict (hasher busy, store error): both get it back.
  void abandoned(const std::string& name_key, const std::string& address);

  std::size_t tracked_names() const { return names_.size(); }
  std::size_t tracked_addresses() const { return addresses_.size(); }

 private:
  // The counted attempts of one kind of key, with their next free slot.
  class Ledger {
   public:
    Ledger(const AttemptSpacing& spacing, std::size_t max_tracked) : spacing_(spacing), max_tracked_(max_tracked) {}
    struct State {
      int counted = 0;
      std::int64_t next_free_ms = 0;
    };
    State state(const std::string& key, std::int64_t now_ms);
    // True when an attempt of `key` waiting at now_ms must be refused rather than held.
    bool refuses(const State& state, std::int64_t now_ms) const;
    void count(const std::string& key, std::int64_t slot_ms);
    void take_back(const std::string& key);
    void reset(const std::string& key);
    std::size_t size() const { return entries_.size(); }

   private:
    struct Entry {
      State state;
      std::int64_t last_slot_ms = 0;
    };
    std::int64_t delay_after(int counted) const;
    void set(const std::string& key, Entry entry);
    void erase(const std::string& key);
    std::int64_t forget_at(const Entry& entry) const { return entry.state.next_free_ms + spacing_.forget_after_ms; }

    AttemptSpacing spacing_;
    std::size_t max_tracked_;
    std::unordered_map<std::string, Entry> entries_;
    std::set<std::pair<std::int64_t, std::string>> by_forget_at_;  // one per entry: oldest first
  };

  LoginAttemptPolicy policy_;
  Clock& clock_;
  Ledger names_;
  Ledger addresses_;
};

}  // namespace chat
