// A PasswordHasher for core tests: "hashed:" + password, checked by comparison, each completion
// run only when the test says (complete), so a test can hold a sign-in "at the hasher". It can be
// made full (capacity), and told that every stored hash needs a rehash.
#pragma once

#include <deque>
#include <functional>
#include <string>

#include "server/ports/password_hasher.hpp"

namespace chat {

class FakePasswordHasher final : public PasswordHasher {
 public:
  bool hash(std::string password, HashDone done) override {
    if (pending() >= capacity()) return false;
    ++hashes;
    queue_.push_back([password, done] { done(PasswordHash{true, "hashed:" + password}); });
    return true;
  }
  bool verify(std::string stored_hash, std::string password, CheckDone done) override {
    if (pending() >= capacity()) return false;
    ++verifies;
    queue_.push_back([this, stored_hash, password, done] {
      PasswordCheck check;
      check.verdict = stored_hash == "hashed:" + password ? PasswordVerdict::match : PasswordVerdict::mismatch;
      check.needs_rehash = check.verdict == PasswordVerdict::match && rehash_every_hash;
      done(check);
    });
    return true;
  }
  std::size_t pending() const override { return queue_.size(); }
  std::size_t capacity() const override { return max_pending; }

  // Runs the completions queued so far, including any queued while running; how many ran.
  std::size_t complete() {
    std::size_t ran = 0;
    while (!queue_.empty()) {
      auto next = std::move(queue_.front());
      queue_.pop_front();
      next();
      ++ran;
    }
    return ran;
  }

  std::size_t max_pending = 16;
  bool rehash_every_hash = false;
  int hashes = 0;
  int verifies = 0;

 private:
  std::deque<std::function<void()>> queue_;
};

}  // namespace chat
