#include "server/accounts/login_attempt_limiter.hpp"

#include <algorithm>

namespace chat {

LoginAttemptLimiter::LoginAttemptLimiter(LoginAttemptPolicy policy, Clock& clock)
    : policy_(policy),
      clock_(clock),
      names_(policy.per_name, policy.max_tracked),
      addresses_(policy.per_address, policy.max_tracked) {}

LoginAttemptDecision LoginAttemptLimiter::begin(const std::string& name_key, const std::string& address) {
  const std::int64_t now = clock_.now_ms();
  const Ledger::State name = names_.state(name_key, now);
  const Ledger::State from = addresses_.state(address, now);
  const std::int64_t slot = std::max({now, name.next_free_ms, from.next_free_ms});
  const std::int64_t wait = slot - now;
  if (names_.refuses(name, now) || addresses_.refuses(from, now) || wait > policy_.max_hold_ms) {
    return {true, wait};
  }
  // Each kind counts the attempt at its own next slot, not the joint one: a name held back must
  // not hold back the address's attempts on other names (nor the other way round).
  names_.count(name_key, std::max(now, name.next_free_ms));
  addresses_.count(address, std::max(now, from.next_free_ms));
  return {false, wait};
}

void LoginAttemptLimiter::succeeded(const std::string& name_key, const std::string& address) {
  names_.reset(name_key);
  addresses_.take_back(address);
}

void LoginAttemptLimiter::abandoned(const std::string& name_key, const std::string& address) {
  names_.take_back(name_key);
  addresses_.take_back(address);
}

LoginAttemptLimiter::Ledger::State LoginAttemptLimiter::Ledger::state(const std::string& key, std::int64_t now_ms) {
  while (!by_forget_at_.empty() && by_forget_at_.begin()->first <= now_ms) erase(std::string(by_forget_at_.begin()->second));
  const auto it = entries_.find(key);
  return it == entries_.end() ? State{} : it->second.state;
}

bool LoginAttemptLimiter::Ledger::refuses(const State& state, std::int64_t now_ms) const {
  return state.next_free_ms > now_ms && state.counted >= spacing_.refuse_after;
}

void LoginAttemptLimiter::Ledger::count(const std::string& key, std::int64_t slot_ms) {
  const auto it = entries_.find(key);
  Entry entry = it == entries_.end() ? Entry{} : it->second;
  ++entry.state.counted;
  entry.last_slot_ms = slot_ms;
  entry.state.next_free_ms = slot_ms + delay_after(entry.state.counted);
  set(key, entry);
  while (entries_.size() > max_tracked_) erase(std::string(by_forget_at_.begin()->second));
}

void LoginAttemptLimiter::Ledger::take_back(const std::string& key) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return;  // forgotten meanwhile: nothing to give back
  Entry entry = it->second;
  if (--entry.state.counted <= 0) return erase(key);
  // The next slot moves back to where it would be had this attempt not been counted; slots already
  // given to attempts waiting meanwhile stand.
  entry.state.next_free_ms = entry.last_slot_ms + delay_after(entry.state.counted);
  set(key, entry);
}

void LoginAttemptLimiter::Ledger::reset(const std::string& key) {
  if (entries_.count(key) != 0) erase(key);
}

std::int64_t LoginAttemptLimiter::Ledger::delay_after(int counted) const {
  if (counted < spacing_.free_attempts) return 0;
  std::int64_t delay = spacing_.first_delay_ms;
  for (int doubling = spacing_.free_attempts; doubling < counted && delay < spacing_.max_delay_ms; ++doubling) delay *= 2;
  return std::min(delay, spacing_.max_delay_ms);
}

void LoginAttemptLimiter::Ledger::set(const std::string& key, Entry entry) {
  const auto it = entries_.find(key);
  if (it != entries_.end()) by_forget_at_.erase({forget_at(it->second), key});
  by_forget_at_.emplace(forget_at(entry), key);
  entries_[key] = entry;
}

void LoginAttemptLimiter::Ledger::erase(const std::string& key) {
  const auto it = entries_.find(key);
  by_forget_at_.erase({forget_at(it->second), key});
  entries_.erase(it);
}

}  // namespace chat

