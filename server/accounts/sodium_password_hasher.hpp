// PasswordHasher on libsodium's Argon2id (crypto_pwhash_str, crypto_pwhash_str_verify), run on a
// small fixed pool of worker threads fed by a bounded queue; results go back to the loop thread
// through a LoopPoster. Not the policy (password_policy.hpp) nor the attempt limits
// (login_attempt_limiter.hpp). libsodium stays out of this header.
//
// Cost (libsodium's INTERACTIVE limits, the default): 64 MiB and 2 passes per hash, so each worker
// holds 64 MiB while it hashes. Threads are capped at the machine's cores: more would only make
// every hash slower, and the chat loop needs a core too.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/accounts/loop_poster.hpp"
#include "server/ports/password_hasher.hpp"

namespace chat {

// Argon2id's cost parameters, as crypto_pwhash takes them.
struct ArgonCost {
  unsigned long long passes;  // opslimit
  std::size_t memory_bytes;   // memlimit
  static ArgonCost interactive();  // crypto_pwhash_OPSLIMIT/MEMLIMIT_INTERACTIVE: 2 passes, 64 MiB
  static ArgonCost minimum();      // the smallest libsodium accepts: for tests only
};

struct SodiumHasherOptions {
  std::size_t threads = 2;    // at most the machine's core count, at least 1
  // Calls accepted and not yet completed (queued, hashing, or answered and waiting for the loop).
  // A hash at the interactive limits took 0.2 to 0.4 s on the 2-core build machine under load
  // (tests/server/sodium_password_hasher_test.cpp, the first test, is a hash and a check): 16 on
  // two threads is 2 to 3 s for the last one, about the most a login should wait before `busy`.
  std::size_t capacity = 16;
  ArgonCost cost = ArgonCost::interactive();
};

class SodiumPasswordHasher final : public PasswordHasher {
 public:
  // `poster` must outlive the hasher. Calls and destruction happen on the loop thread.
  SodiumPasswordHasher(LoopPoster& poster, SodiumHasherOptions options = {});
  // Drops queued work (its completions never run), waits for the hashes under way (one per
  // thread at most), and makes sure no completion runs afterwards, even one already posted.
  ~SodiumPasswordHasher() override;
  SodiumPasswordHasher(const SodiumPasswordHasher&) = delete;
  SodiumPasswordHasher& operator=(const SodiumPasswordHasher&) = delete;

  bool hash(std::string password, HashDone done) override;
  bool verify(std::string stored_hash, std::string password, CheckDone done) override;
  std::size_t pending() const override { return loop_side_->pending; }
  std::size_t capacity() const override { return options_.capacity; }
  std::size_t threads() const { return workers_.size(); }

 private:
  struct Job {
    std::string password;
    std::string stored_hash;  // verify only
    HashDone hash_done;       // exactly one of the two is set
    CheckDone check_done;
  };
  // What completions share with the hasher, on the loop thread only: posted tasks outlive it.
  struct LoopSide {
    bool alive = true;
    std::size_t pending = 0;
  };

  bool accept(Job job);
  void work();
  // Runs the job's hash on this worker thread, then posts its completion to the loop.
  void run(Job& job);

  LoopPoster& poster_;
  SodiumHasherOptions options_;
  std::shared_ptr<LoopSide> loop_side_;
  std::mutex mutex_;  // guards queue_ and stopping_
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace chat
