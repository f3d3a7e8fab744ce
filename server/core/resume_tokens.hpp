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

  // After a drop, the name stays reserved for the token's holder until now + grace. Names are
  // given as their name_key().
  void reserve(const std::string& user, const std::string& token_id, std::int64_t now_ms);
  // The token id the name is reserved for, if it is reserved at `now_ms`.
  std::optional<std::string> reserved_for(const std::string& user, std::int64_t now_ms);
  void unreserve(const std::string& user);

 private:
  struct Reservation {
    std::string token_id;
    std::int64_t until_ms;
  };
  void expire(std::int64_t now_ms);

  std::int64_t grace_ms_;
  std::unordered_map<std::string, StoredToken> tokens_;  // by id
  std::unordered_map<std::string, Reservation> reservations_;  // by name
  // Names in order of expiry (the grace period is constant), so expiring is O(1) amortised
  // without a timer; an entry may be stale if the name was re-reserved or taken back.
  std::deque<std::pair<std::int64_t, std::string>> expiry_order_;
};

}  // namespace chat
