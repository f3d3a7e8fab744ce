// The Redis forms of the cluster's resume tokens (a hash) and accounts (a hash each), with the
// pub/sub messages that tell every node of a change; and the readers of numbers and texts that
// every form uses, the rooms' too (redis_room_codec.hpp). Pure, never throws; a malformed value
// decodes to nullopt (the caller logs and skips it). See docs/CLUSTER.md.
//
// Token record (field = token id):  <last_used_ms>:<secret hash>:<user>\x1f<account id>:<created_ms>
//   (older records end at <user>: a guest token, created 0. The mark is a control character, which
//   no name may hold, so an old record of a user named "x:1:2" can never read as account 1.)
// Token event:                      +<id>:<token record>   or   -<id>
// Account hash (chat:account:<id>):  name, hash, created_ms, changed_ms, identity, lookalike
// Account event:                    <id>:<created_ms>:<changed_ms>:<name length>:<name><identity length>:<identity><lookalike>
//   (never the password hash)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "server/ports/store.hpp"

namespace chat::redis {

// A decimal number of at most 18 digits, no sign; nullopt otherwise.
std::optional<std::int64_t> parse_number(std::string_view text);
// "<number>:<rest>" split; nullopt if the number is missing or malformed.
std::optional<std::pair<std::int64_t, std::string_view>> number_then_rest(std::string_view text);
// A name or room as a peer may send it: non-empty, at most 1 KiB, valid UTF-8.
bool text_ok(std::string_view text);

// Longest name key accepted from Redis (a key of a 64-code-point name is far shorter).
constexpr std::size_t kMaxNameKeyBytes = 4096;

// Between a token record's user and its account part.
constexpr char kTokenAccountMark = '\x1f';

std::string encode_token_record(const StoredToken& token);
std::optional<StoredToken> decode_token_record(std::string_view id, std::string_view record);

struct TokenDeleted {
  std::string id;
};
using TokenEvent = std::variant<StoredToken, TokenDeleted>;
std::string encode_token_saved(const StoredToken& token);
std::string encode_token_deleted(const std::string& id);
std::optional<TokenEvent> decode_token_event(std::string_view payload);

// The account hash's fields and values, in HSET order.
std::vector<std::string> encode_account_fields(const StoredAccount& account);
// HGETALL's pairs of chat:account:<id>; nullopt when a field is missing or malformed (the hash
// too, when `with_hash`; without it, the password hash is left empty whatever Redis holds).
std::optional<StoredAccount> decode_account_fields(AccountId id, const std::vector<std::pair<std::string, std::string>>& fields,
                                                   bool with_hash);
// The account event on chat:accounts-changed. The create script publishes "<id>:" + the body,
// since only it knows the id.
std::string encode_account_event_body(const StoredAccount& account);
std::string encode_account_created(const StoredAccount& account);
std::optional<StoredAccount> decode_account_created(std::string_view payload);
// A value of chat:accountkeys (a positive id).
std::optional<AccountId> decode_account_id(std::string_view text);

}  // namespace chat::redis
