// Reservations expire lazily: every query first drops the reservations whose time has passed.
#include "server/core/resume_tokens.hpp"

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

void ResumeTokens::restore(const StoredToken& token) { tokens_[token.id] = token; }

StoredToken ResumeTokens::issue(const std::string& user, RandomSource& random) {
  StoredToken token{random_hex(random, 8), random_hex(random, 16), user};
  tokens_[token.id] = token;
  return token;
}

StoredToken* ResumeTokens::find_by_id(const std::string& id) {
  const auto it = tokens_.find(id);
  return it == tokens_.end() ? nullptr : &it->second;
}

const StoredToken* ResumeTokens::verify(std::string_view token) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const auto it = tokens_.find(std::string(token.substr(0, dot)));
  if (it == tokens_.end()) return nullptr;
  return equal_in_constant_time(token.substr(dot + 1), it->second.secret) ? &it->second : nullptr;
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
  return reserved_names_.holder_other_than(name, token_id).has_value();
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
