// Resume tokens (v2) and the names they keep reserved after their holder dropped.
// A token is "ID.SECRET": ID (64 bits, hex) is the lookup key, SECRET (128 bits, hex) is known only
// to the client: the server keeps (and stores) its hash, and compares hashes in constant time, so
// neither a stolen database nor a lookup's timing gives a usable token.
// Tokens expire when unused (not issued or resumed with) for `ttl_ms`; a name holds at most
// `max_per_name` of them (one per device), the least recently used is revoked past that, and the
// same for all names past `max_total`. Revoked
// and expired tokens are collected for the caller to delete from the store (take_revoked).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/names/name_index.hpp"
#include "server/names/name_keys.hpp"
#include "server/ports/random_source.hpp"
#include "server/ports/secret_hasher.hpp"
#include "server/ports/store.hpp"

namespace chat {

struct TokenPolicy {
  std::int64_t ttl_ms = 30LL * 24 * 3'600'000;  // 0: tokens never expire
  std::size_t max_per_name = 10;
  // All names together (~300 bytes of memory each, plus the database row): what bounds the table
  // when many addresses each stay under their hourly cap. Past it the least recently used goes.
  std::size_t max_total = 100'000;
};

class ResumeTokens {
 public:
  ResumeTokens(std::int64_t grace_ms, TokenPolicy policy, SecretHasher& hasher)
      : grace_ms_(grace_ms), policy_(policy), hasher_(hasher) {}

  // A token from the store (at start-up, or saved by another node), replacing one of the same id;
  // over the per-name cap, the least recently used goes.
  void restore(const StoredToken& token);
  // A token another node deleted: gone here too, without being deleted again.
  void forget(const std::string& id) { remove(id); }
  struct Issued {
    StoredToken record;  // what the caller stores: the secret's hash, never the secret
    std::string text;    // what the client is given: "ID.SECRET"
  };
  // `account`: the account whose session it is (0: a guest's token). Account tokens use the
  // account's own spelling as `user`, so the per-name cap is the per-account cap.
  Issued issue(const std::string& user, RandomSource& random, std::int64_t now_ms, AccountId account = 0);
  // The token of that id, or nullptr.
  const StoredToken* find(const std::string& id) const;
  // The ids of the tokens naming exactly `user` (at most max_per_name).
  std::vector<std::string> ids_of(const std::string& user) const;
  // Removes the token and lists it for deletion from the store (take_revoked).
  void revoke(const std::string& id);
  // The session's token, now naming `user` and used at now_ms; nullptr if it no longer exists.
  const StoredToken* renew(const std::string& id, const std::string& user, std::int64_t now_ms);
  // The token's record if `token` is exactly a known, unexpired token, else nullptr.
  const StoredToken* verify(std::string_view token, std::int64_t now_ms);
  // Removes up to `max` tokens unused for the ttl (cheap when none is: the oldest comes first).
  void sweep(std::int64_t now_ms, std::size_t max);
  // Ids revoked or expired since the last call, to delete from the store.
  std::vector<std::string> take_revoked() { return std::exchange(revoked_, {}); }
  std::size_t size() const { return tokens_.size(); }

  // After a drop, the name stays reserved for the token's holder until now + grace: every name
  // colliding with it (either key of name_keys()) is refused to others. One name per token.
  void reserve(const NameKeys& name, const std::string& token_id, std::int64_t now_ms);
  // True if a name colliding with `name` is reserved at `now_ms` for a token other than
  // `token_id` that still exists (a revoked or expired token brings nobody back).
  bool reserved_for_other(const NameKeys& name, const std::string& token_id, std::int64_t now_ms);
  // Ends every reservation colliding with `name` (its holder took it back).
  void unreserve(const NameKeys& name);

 private:
  struct Reservation {
    NameKeys name;
    std::int64_t until_ms;
  };
  void drop_reservation(const std::string& token_id);
  void add(const StoredToken& token);
  void remove(const std::string& id);
  void cap_name(const std::string& user);
  void cap_total(const std::string& keep);
  bool expired(const StoredToken& token, std::int64_t now_ms) const;
  void expire(std::int64_t now_ms);

  std::int64_t grace_ms_;
  TokenPolicy policy_;
  SecretHasher& hasher_;
  std::unordered_map<std::string, StoredToken> tokens_;  // by id
  std::set<std::pair<std::int64_t, std::string>> by_last_use_;  // (last_used_ms, id): oldest first
  std::unordered_map<std::string, std::vector<std::string>> by_user_;  // ids, at most max_per_name
  std::vector<std::string> revoked_;
  std::unordered_map<std::string, Reservation> reservations_;  // by token id
  NameIndex<std::string> reserved_names_;                      // name keys -> token id
  // Token ids in order of expiry (the grace period is constant), so expiring is O(1) amortised
  // without a timer; an entry may be stale if the token re-reserved or its name was taken back.
  std::deque<std::pair<std::int64_t, std::string>> expiry_order_;
};

}  // namespace chat
