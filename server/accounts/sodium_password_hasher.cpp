// Workers take jobs from one queue; each job's completion is posted to the loop with a shared
// LoopSide, so a completion that reaches the loop after the hasher is gone finds `alive` false
// and does nothing: no use of the hasher, and no call into a caller that may be gone too.
#include "server/accounts/sodium_password_hasher.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace chat {
namespace {

// Passwords do not linger in freed memory (a later allocation, a core dump).
void wipe(std::string& secret) {
  sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

std::size_t worker_count(std::size_t wanted) {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(wanted, 1, cores);
}

PasswordHash hash_now(const std::string& password, const ArgonCost& cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost.passes, cost.memory_bytes) != 0) {
    return {};  // out of memory
  }
  return {true, std::string(out)};
}

PasswordCheck verify_now(const std::string& stored, const std::string& password, const ArgonCost& cost) {
  // libsodium reads the stored hash as a C string of at most STRBYTES.
  if (stored.size() >= crypto_pwhash_STRBYTES || stored.find('\0') != std::string::npos) return {};
  // -1: not a hash libsodium reads (corrupt, another algorithm); 1: readable, other limits.
  const int rehash = crypto_pwhash_str_needs_rehash(stored.c_str(), cost.passes, cost.memory_bytes);
  if (rehash < 0) return {};
  // Compares in constant time (libsodium's own comparison of the recomputed digest).
  const bool match = crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
  return {match ? PasswordVerdict::match : PasswordVerdict::mismatch, rehash == 1};
}

}  // namespace

ArgonCost ArgonCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

ArgonCost ArgonCost::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

SodiumPasswordHasher::SodiumPasswordHasher(LoopPoster& poster, SodiumHasherOptions options)
    : poster_(poster), options_(options), loop_side_(std::make_shared<LoopSide>()) {
  const bool ready = sodium_init() >= 0;  // idempotent and thread-safe; -1 only without entropy
  const std::size_t count = ready ? worker_count(options_.threads) : 0;
  if (!ready) options_.capacity = 0;  // every call answers busy; the program checks threads() at start
  for (std::size_t i = 0; i < count; ++i) workers_.emplace_back([this] { work(); });
}

SodiumPasswordHasher::~SodiumPasswordHasher() {
  loop_side_->alive = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (Job& job : queue_) wipe(job.password);
    queue_.clear();
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

bool SodiumPasswordHasher::hash(std::string password, HashDone done) {
  Job job;
  job.password = std::move(password);
  job.hash_done = std::move(done);
  return accept(std::move(job));
}

bool SodiumPasswordHasher::verify(std::string stored_hash, std::string password, CheckDone done) {
  Job job;
  job.password = std::move(password);
  job.stored_hash = std::move(stored_hash);
  job.check_done = std::move(done);
  return accept(std::move(job));
}

bool SodiumPasswordHasher::accept(Job job) {
  if (loop_side_->pending >= options_.capacity) {
    wipe(job.password);
    return false;
  }
  ++loop_side_->pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void SodiumPasswordHasher::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    run(job);
  }
}

void SodiumPasswordHasher::run(Job& job) {
  std::function<void()> completion;
  if (job.hash_done) {
    completion = [side = loop_side_, done = std::move(job.hash_done), result = hash_now(job.password, options_.cost)] {
      if (!side->alive) return;
      --side->pending;
      done(result);
    };
  } else {
    completion = [side = loop_side_, done = std::move(job.check_done),
                  result = verify_now(job.stored_hash, job.password, options_.cost)] {
      if (!side->alive) return;
      --side->pending;
      done(result);
    };
  }
  wipe(job.password);
  poster_.post(std::move(completion));
}

}  // namespace chat
