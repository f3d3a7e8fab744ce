// The program's PasswordHasher: libsodium's (SodiumPasswordHasher), answering on the server's libuv
// loop through a UvLoopPoster. The loop exists only once LwsServer::start has run, after the core
// was built with this port, so the hasher starts then (start) and stops with the server (stop: its
// wake-up handle would otherwise keep the loop from ending). Before start and after stop every call
// is refused, as a full hasher's (`server_busy`); nothing is served then anyway.
#pragma once

#include <memory>

#include "server/accounts/sodium_password_hasher.hpp"
#include "server/accounts/uv_loop_poster.hpp"
#include "server/ports/password_hasher.hpp"

struct uv_loop_s;

namespace chat {

class LoopPasswordHasher final : public PasswordHasher {
 public:
  explicit LoopPasswordHasher(SodiumHasherOptions options = {}) : options_(options) {}
  ~LoopPasswordHasher() override { stop(); }

  // On the loop's thread. False (after logging why) if libsodium could not start: every call is
  // then refused, and accounts answer server_busy; the chat itself runs on.
  bool start(uv_loop_s* loop);
  // Drops queued work (completions never run) and waits for the hashes under way.
  void stop();

  bool hash(std::string password, HashDone done) override {
    return hasher_ && hasher_->hash(std::move(password), std::move(done));
  }
  bool verify(std::string stored_hash, std::string password, CheckDone done) override {
    return hasher_ && hasher_->verify(std::move(stored_hash), std::move(password), std::move(done));
  }
  std::size_t pending() const override { return hasher_ ? hasher_->pending() : capacity(); }
  std::size_t capacity() const override { return hasher_ ? hasher_->capacity() : options_.capacity; }

 private:
  SodiumHasherOptions options_;
  std::unique_ptr<UvLoopPoster> poster_;
  std::unique_ptr<SodiumPasswordHasher> hasher_;  // uses poster_: made after it, destroyed before it
};

}  // namespace chat
