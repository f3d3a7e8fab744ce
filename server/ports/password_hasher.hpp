// The port for account passwords: a slow, memory-hard hash (Argon2id) and its check. One hash costs
// tens of milliseconds of CPU and tens of MiB, so it never runs on the loop thread: the edge runs
// it on worker threads (server/accounts/sodium_password_hasher) and every completion runs later on
// the loop thread, never inside the call, as the Engine's do. Work is capped: past the cap a call
// is refused at once (busy), so a burst of logins costs a clear answer, not an unbounded queue.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace chat {

// What a hash gave. `hash` is the self-describing encoded form (algorithm, limits, salt, digest:
// "$argon2id$v=19$m=65536,t=2,p=1$..."), the only thing ever stored; empty unless ok.
struct PasswordHash {
  bool ok = false;
  std::string hash;
};

// What a check gave. `mismatch` covers every wrong password; `failed` means the stored hash could
// not be read (corrupt, unknown algorithm) or the hash could not run (out of memory): an error to
// log, never an answer that reveals anything to the client beyond "wrong password".
enum class PasswordVerdict { match, mismatch, failed };

struct PasswordCheck {
  PasswordVerdict verdict = PasswordVerdict::failed;
  // The stored hash was made with other limits than today's: on a match, hash the password again
  // and store the new hash (the password is only at hand during a login).
  bool needs_rehash = false;
};

class PasswordHasher {
 public:
  using HashDone = std::function<void(PasswordHash)>;
  using CheckDone = std::function<void(PasswordCheck)>;

  virtual ~PasswordHasher() = default;

  // Both return false, changing nothing, when `pending()` is at `capacity()`: the caller answers
  // `server_busy` at once and `done` never runs. When they return true, `done` runs exactly once,
  // later, on the loop thread; unless the hasher is destroyed first (then it never runs).
  // The password is taken by value so the hasher can wipe its copy once used.
  [[nodiscard]] virtual bool hash(std::string password, HashDone done) = 0;
  [[nodiscard]] virtual bool verify(std::string stored_hash, std::string password, CheckDone done) = 0;

  // Calls accepted whose completion has not run yet.
  virtual std::size_t pending() const = 0;
  virtual std::size_t capacity() const = 0;
};

}  // namespace chat
