// Resume tokens (v2) and the names they keep reserved after their holder dropped.
// A token is "ID.SECRET": ID (64 bits, hex) is the lookup key, SECRET (128 bits, hex) is compared
// in constant time, so a lookup's timing says nothing about how much of a guess was right.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/names/name_index.hpp"
#include "server/ports/random_source.hpp"
#include "server/ports/store.hpp"

namespace chat {

class ResumeTokens {
 public:
  explicit ResumeTokens(std::int64_t grace_ms) : grace_ms_(grace_ms) {}

  void restore(const StoredToken& token);
  // A new token for `user`; the caller stores it.
  StoredToken issue(const std::string& user, RandomSource& random);
  // Points an existing token at a new name (a v2 client renamed itself).
  StoredToken* find_by_id(const std::string& id);
  // The token's record if `token` is exactly a known token, else nullptr.
  const StoredToken* verify(std::string_view token) const;
  static std::string text(const StoredToken& token) { return token.id + "." + token.secret; }

  // After a drop, the name stays reserved for the token's holder until now + grace: every name
  // colliding with it (either key of name_keys()) is refused to others. One name per token.
  void reserve(const NameKeys& name, const std::string& token_id, std::int64_t now_ms);
  // True if a name colliding with `name` is reserved at `now_ms` for a token other than `token_id`.
  bool reserved_for_other(const NameKeys& name, const std::string& token_id, std::int64_t now_ms);
  // Ends every reservation colliding with `name` (its holder took it back).
  void unreserve(const NameKeys& name);

 private:
  struct Reservation {
    NameKeys name;
    std::int64_t until_ms;
  };
  void expire(std::int64_t now_ms);
  void drop_reservation(const std::string& token_id);

  std::int64_t grace_ms_;
  std::unordered_map<std::string, StoredToken> tokens_;  // by id
  std::unordered_map<std::string, Reservation> reservations_;  // by token id
  NameIndex<std::string> reserved_names_;                      // name keys -> token id
  // Token ids in order of expiry (the grace period is constant), so expiring is O(1) amortised
  // without a timer; an entry may be stale if the token re-reserved or its name was taken back.
  std::deque<std::pair<std::int64_t, std::string>> expiry_order_;
};

}  // namespace chat
