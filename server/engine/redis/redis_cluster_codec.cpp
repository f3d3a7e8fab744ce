// The Redis forms of the cluster's resume tokens and accounts, and the number and text readers
// that every form of the cluster's shared state uses (rooms: redis_room_codec.cpp).
#include "server/engine/redis/redis_cluster_codec.hpp"

#include <map>

#include "shared/utf8.hpp"

namespace chat::redis {

std::optional<std::int64_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Splits "<number>:<rest>"; nullopt if the number is missing or malformed.
std::optional<std::pair<std::int64_t, std::string_view>> number_then_rest(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto number = parse_number(text.substr(0, colon));
  if (!number) return std::nullopt;
  return std::make_pair(*number, text.substr(colon + 1));
}

bool text_ok(std::string_view text) { return !text.empty() && text.size() <= 1024 && utf8::is_valid(text); }

namespace {

bool hash_ok(std::string_view hash) {
  if (hash.empty() || hash.size() > 128) return false;
  for (const char c : hash) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace

std::string encode_token_record(const StoredToken& token) {
  return std::to_string(token.last_used_ms) + ":" + token.secret_hash + ":" + token.user + kTokenAccountMark +
         std::to_string(token.account) + ":" + std::to_string(token.created_ms);
}

std::optional<StoredToken> decode_token_record(std::string_view id, std::string_view record) {
  const auto used = number_then_rest(record);
  if (!used || !hash_ok(id)) return std::nullopt;
  const auto colon = used->second.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view hash = used->second.substr(0, colon);
  std::string_view user = used->second.substr(colon + 1);
  AccountId account = 0;
  std::int64_t created_ms = 0;
  // No mark: a record written before accounts, a guest token of unknown age.
  if (const auto mark = user.find(kTokenAccountMark); mark != std::string_view::npos) {
    const auto account_part = number_then_rest(user.substr(mark + 1));
    const auto created = account_part ? parse_number(account_part->second) : std::nullopt;
    if (!created) return std::nullopt;
    account = account_part->first;
    created_ms = *created;
    user = user.substr(0, mark);
  }
  if (!hash_ok(hash) || !text_ok(user)) return std::nullopt;
  StoredToken token{std::string(id), std::string(hash), std::string(user), used->first};
  token.account = account;
  token.created_ms = created_ms;
  return token;
}

std::string encode_token_saved(const StoredToken& token) { return "+" + token.id + ":" + encode_token_record(token); }

std::string encode_token_deleted(const std::string& id) { return "-" + id; }

std::optional<TokenEvent> decode_token_event(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  if (payload[0] == '-') {
    const std::string_view id = payload.substr(1);
    if (!hash_ok(id)) return std::nullopt;
    return TokenEvent{TokenDeleted{std::string(id)}};
  }
  if (payload[0] != '+') return std::nullopt;
  const auto colon = payload.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto token = decode_token_record(payload.substr(1, colon - 1), payload.substr(colon + 1));
  if (!token) return std::nullopt;
  return TokenEvent{std::move(*token)};
}

// ---- Accounts -----------------------------------------------------------------------------------

namespace {

bool name_key_ok(std::string_view key) { return !key.empty() && key.size() <= kMaxNameKeyBytes && utf8::is_valid(key); }

// PasswordHasher's encoded form ("$argon2id$v=19$m=...$salt$hash"): printable ASCII only.
bool password_hash_ok(std::string_view hash) {
  if (hash.empty() || hash.size() > 512) return false;
  for (const char c : hash) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

// "<byte length>:<text>" at the head of `text`: the text and what follows it.
std::optional<std::pair<std::string_view, std::string_view>> counted_then_rest(std::string_view text) {
  const auto length = number_then_rest(text);
  if (!length || static_cast<std::size_t>(length->first) > length->second.size()) return std::nullopt;
  const auto size = static_cast<std::size_t>(length->first);
  return std::make_pair(length->second.substr(0, size), length->second.substr(size));
}

}  // namespace

std::vector<std::string> encode_account_fields(const StoredAccount& account) {
  return {"name",      account.name,
          "hash",      account.password_hash,
          "created_ms", std::to_string(account.created_ms),
          "changed_ms", std::to_string(account.password_changed_ms),
          "identity",  account.identity_key,
          "lookalike", account.lookalike_key};
}

std::optional<StoredAccount> decode_account_fields(AccountId id, const std::vector<std::pair<std::string, std::string>>& fields,
                                                   bool with_hash) {
  std::map<std::string_view, std::string_view> by_name;
  for (const auto& [field, value] : fields) by_name[field] = value;
  const auto get = [&](std::string_view field) -> std::optional<std::string_view> {
    const auto found = by_name.find(field);
    if (found == by_name.end()) return std::nullopt;
    return found->second;
  };
  const auto name = get("name"), identity = get("identity"), lookalike = get("lookalike");
  const auto created = get("created_ms"), changed = get("changed_ms"), hash = get("hash");
  if (id <= 0 || !name || !identity || !lookalike || !created || !changed) return std::nullopt;
  const auto created_ms = parse_number(*created), changed_ms = parse_number(*changed);
  if (!text_ok(*name) || !name_key_ok(*identity) || !name_key_ok(*lookalike) || !created_ms || !changed_ms) {
    return std::nullopt;
  }
  if (with_hash && (!hash || !password_hash_ok(*hash))) return std::nullopt;
  StoredAccount account;
  account.id = id;
  account.name = std::string(*name);
  account.identity_key = std::string(*identity);
  account.lookalike_key = std::string(*lookalike);
  if (with_hash) account.password_hash = std::string(*hash);
  account.created_ms = *created_ms;
  account.password_changed_ms = *changed_ms;
  return account;
}

std::string encode_account_event_body(const StoredAccount& account) {
  return std::to_string(account.created_ms) + ":" + std::to_string(account.password_changed_ms) + ":" +
         std::to_string(account.name.size()) + ":" + account.name + std::to_string(account.identity_key.size()) + ":" +
         account.identity_key + account.lookalike_key;
}

std::string encode_account_created(const StoredAccount& account) {
  return std::to_string(account.id) + ":" + encode_account_event_body(account);
}

std::optional<StoredAccount> decode_account_created(std::string_view payload) {
  const auto id = number_then_rest(payload);
  if (!id) return std::nullopt;
  const auto created = number_then_rest(id->second);
  if (!created) return std::nullopt;
  const auto changed = number_then_rest(created->second);
  if (!changed) return std::nullopt;
  const auto name = counted_then_rest(changed->second);
  if (!name) return std::nullopt;
  const auto identity = counted_then_rest(name->second);
  if (!identity) return std::nullopt;
  return decode_account_fields(id->first,
                               {{"name", std::string(name->first)},
                                {"identity", std::string(identity->first)},
                                {"lookalike", std::string(identity->second)},
                                {"created_ms", std::to_string(created->first)},
                                {"changed_ms", std::to_string(changed->first)}},
                               /*with_hash=*/false);
}

std::optional<AccountId> decode_account_id(std::string_view text) {
  const auto id = parse_number(text);
  if (!id || *id <= 0) return std::nullopt;
  return *id;
}

}  // namespace chat::redis
