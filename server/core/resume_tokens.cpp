// Reservations expire lazily: every query first drops the reservations whose time has passed.
// Tokens are indexed three ways (id, last use, name), kept in step by add() and remove() only.
#include "server/core/resume_tokens.hpp"

#include <algorithm>

namespace chat {
namespace {

std::string random_hex(RandomSource& random, std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  random.fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  std::string hex;
  hex.reserve(bytes * 2);
  for (const char c : raw) {
    hex += kDigits[(static_cast<unsigned char>(c) >> 4) & 0xF];
    hex += kDigits[static_cast<unsigned char>(c) & 0xF];
  }
  return hex;
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace

void ResumeTokens::restore(const StoredToken& token) {
  remove(token.id);
  add(token);
  cap_name(token.user);
  cap_total(token.id);
}

ResumeTokens::Issued ResumeTokens::issue(const std::string& user, RandomSource& random, std::int64_t now_ms,
                                         AccountId account) {
  const std::string id = random_hex(random, 8);
  const std::string secret = random_hex(random, 16);
  StoredToken token{id, hasher_.hash(secret), user, now_ms, account, now_ms};
  remove(id);  // 64 random bits: a collision is as good as impossible, but must not corrupt the indexes
  add(token);
  cap_name(user);
  cap_total(id);
  return Issued{token, id + "." + secret};
}

const StoredToken* ResumeTokens::find(const std::string& id) const {
  const auto it = tokens_.find(id);
  return it == tokens_.end() ? nullptr : &it->second;
}

std::vector<std::string> ResumeTokens::ids_of(const std::string& user) const {
  const auto it = by_user_.find(user);
  return it == by_user_.end() ? std::vector<std::string>{} : it->second;
}

void ResumeTokens::revoke(const std::string& id) {
  if (tokens_.count(id) == 0) return;
  drop_reservation(id);
  remove(id);
  revoked_.push_back(id);
}

const StoredToken* ResumeTokens::renew(const std::string& id, const std::string& user, std::int64_t now_ms) {
  const auto it = tokens_.find(id);
  if (it == tokens_.end()) return nullptr;
  StoredToken token = it->second;
  token.user = user;
  token.last_used_ms = now_ms;
  // From here on only the copy: `id` and `user` may be the caller's references into the record
  // that remove() frees.
  remove(token.id);
  add(token);
  cap_name(token.user);  // a rename may bring an 11th token to the new name: the oldest other one goes
  return &tokens_.at(token.id);
}

const StoredToken* ResumeTokens::verify(std::string_view token, std::int64_t now_ms) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const auto it = tokens_.find(std::string(token.substr(0, dot)));
  if (it == tokens_.end()) return nullptr;
  if (!equal_in_constant_time(hasher_.hash(token.substr(dot + 1)), it->second.secret_hash)) return nullptr;
  if (!expired(it->second, now_ms)) return &it->second;
  const std::string id = it->first;  // found before the sweep did: it goes now
  remove(id);
  revoked_.push_back(id);
  return nullptr;
}

void ResumeTokens::sweep(std::int64_t now_ms, std::size_t max) {
  for (std::size_t n = 0; n < max && !by_last_use_.empty(); ++n) {
    const std::string id = by_last_use_.begin()->second;
    if (!expired(tokens_.at(id), now_ms)) return;
    remove(id);
    revoked_.push_back(id);
  }
}

bool ResumeTokens::expired(const StoredToken& token, std::int64_t now_ms) const {
  return policy_.ttl_ms > 0 && now_ms - token.last_used_ms >= policy_.ttl_ms;
}

void ResumeTokens::add(const StoredToken& token) {
  tokens_.emplace(token.id, token);
  by_last_use_.emplace(token.last_used_ms, token.id);
  by_user_[token.user].push_back(token.id);
}

void ResumeTokens::remove(const std::string& id) {
  const auto it = tokens_.find(id);
  if (it == tokens_.end()) return;
  by_last_use_.erase({it->second.last_used_ms, id});
  const auto user = by_user_.find(it->second.user);
  auto& ids = user->second;
  ids.erase(std::find(ids.begin(), ids.end(), id));
  if (ids.empty()) by_user_.erase(user);
  tokens_.erase(it);
}

// The least recently used tokens of `user` go until it holds max_per_name (a scan of at most
// max_per_name + 1 tokens).
void ResumeTokens::cap_name(const std::string& user) {
  const auto it = by_user_.find(user);
  if (it == by_user_.end() || policy_.max_per_name == 0) return;
  while (it->second.size() > policy_.max_per_name) {
    const auto oldest = std::min_element(it->second.begin(), it->second.end(), [this](const auto& a, const auto& b) {
      return tokens_.at(a).last_used_ms < tokens_.at(b).last_used_ms;
    });
    const std::string id = *oldest;
    remove(id);  // never erases by_user_[user]: more than max_per_name >= 1 ids remain
    revoked_.push_back(id);
  }
}

// `keep` is the token just added: with others used in the same millisecond it may sort first.
void ResumeTokens::cap_total(const std::string& keep) {
  while (policy_.max_total > 0 && tokens_.size() > policy_.max_total) {
    auto oldest = by_last_use_.begin();
    if (oldest->second == keep) ++oldest;
    const std::string id = oldest->second;
    remove(id);
    revoked_.push_back(id);
  }
}

void ResumeTokens::reserve(const NameKeys& name, const std::string& token_id, std::int64_t now_ms) {
  expire(now_ms);
  drop_reservation(token_id);
  reservations_[token_id] = Reservation{name, now_ms + grace_ms_};
  reserved_names_.add(name, token_id);
  expiry_order_.emplace_back(now_ms + grace_ms_, token_id);
}

bool ResumeTokens::reserved_for_other(const NameKeys& name, const std::string& token_id, std::int64_t now_ms) {
  expire(now_ms);
  while (const auto holder = reserved_names_.holder_other_than(name, token_id)) {
    const auto token = tokens_.find(*holder);
    if (token != tokens_.end() && !expired(token->second, now_ms)) return true;
    drop_reservation(*holder);  // nobody can come back with it
    reserved_names_.remove(name, *holder);  // makes progress even if the two maps disagreed
  }
  return false;
}

void ResumeTokens::unreserve(const NameKeys& name) {
  while (const auto token_id = reserved_names_.holder(name)) {
    drop_reservation(*token_id);
    reserved_names_.remove(name, *token_id);  // makes progress even if the two maps disagreed
  }
}

void ResumeTokens::drop_reservation(const std::string& token_id) {
  const auto it = reservations_.find(token_id);
  if (it == reservations_.end()) return;
  reserved_names_.remove(it->second.name, token_id);
  reservations_.erase(it);
}

void ResumeTokens::expire(std::int64_t now_ms) {
  while (!expiry_order_.empty() && expiry_order_.front().first <= now_ms) {
    const auto it = reservations_.find(expiry_order_.front().second);
    if (it != reservations_.end() && it->second.until_ms <= now_ms) drop_reservation(std::string(it->first));
    expiry_order_.pop_front();
  }
}

}  // namespace chat
