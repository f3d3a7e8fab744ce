// Failure policy as for the rest of the engine: a reply that is an error is a failure (logged
// without anything secret), a malformed account in Redis is logged and treated as absent from a
// listing or as a failed read, never a crash.
#include "server/engine/redis/redis_accounts.hpp"

#include <set>

#include "server/engine/redis/redis_cluster_codec.hpp"
#include "server/log.hpp"

namespace chat::redis {
namespace {

// KEYS: account keys hash, account id counter, the name's two claim keys.
// ARGV: identity key, look-alike key, two claim values that are the registrant's own (either may
// be empty), account hash key prefix, name, password hash, created ms, changed ms, channel, event
// body. Returns the new id, or 0 when either key is an account's or claimed by someone else.
const char* const kCreateAccountScript = R"LUA(
if redis.call('hexists', KEYS[1], ARGV[1]) == 1 or redis.call('hexists', KEYS[1], ARGV[2]) == 1 then
  return 0
end
for i = 3, 4 do
  local v = redis.call('get', KEYS[i])
  if v and v ~= ARGV[3] and v ~= ARGV[4] then return 0 end
end
local id = redis.call('incr', KEYS[2])
redis.call('hset', ARGV[5] .. id, 'name', ARGV[6], 'hash', ARGV[7], 'created_ms', ARGV[8], 'changed_ms', ARGV[9],
           'identity', ARGV[1], 'lookalike', ARGV[2])
redis.call('hset', KEYS[1], ARGV[1], id, ARGV[2], id)
redis.call('publish', ARGV[10], id .. ':' .. ARGV[11])
return id
)LUA";

// KEYS: the account hash, the tokens hash. ARGV: new hash, changed ms, token id to keep, account
// id, tokens channel. Nil when there is no such account; else the ids of the tokens deleted, each
// announced as the engine announces a deletion ("-<id>", see redis_cluster_codec). A token record
// names its account after the control character \031 (kTokenAccountMark), at its end.
const char* const kSetPasswordScript = R"LUA(
if redis.call('exists', KEYS[1]) == 0 then return false end
redis.call('hset', KEYS[1], 'hash', ARGV[1], 'changed_ms', ARGV[2])
local all = redis.call('hgetall', KEYS[2])
local deleted = {}
for i = 1, #all, 2 do
  local id = all[i]
  if id ~= ARGV[3] and string.match(all[i + 1], '\031(%d+):%d+$') == ARGV[4] then
    redis.call('hdel', KEYS[2], id)
    redis.call('publish', ARGV[5], '-' .. id)
    deleted[#deleted + 1] = id
  end
end
return deleted
)LUA";

// The distinct ids of an HGETALL of chat:accountkeys (each account appears under both its keys).
std::set<AccountId> ids_of(const RedisReply& account_keys) {
  std::set<AccountId> ids;
  for (const auto& [key, value] : pairs_of(account_keys)) {
    if (const auto id = decode_account_id(value)) {
      ids.insert(*id);
    } else {
      log_line(LogLevel::warn, "redis: account key with a malformed id skipped");
    }
  }
  return ids;
}

}  // namespace

bool RedisAccounts::load(const Run& run, std::vector<StoredAccount>& accounts, RedisReply& error) const {
  const auto keys = run({"HGETALL", keys_.account_keys()});
  if (keys.is_error()) return error = keys, false;
  accounts.clear();
  for (const AccountId id : ids_of(keys)) {
    const auto fields = run({"HGETALL", keys_.account(id)});
    if (fields.is_error()) return error = fields, false;
    if (auto account = decode_account_fields(id, pairs_of(fields), /*with_hash=*/false)) {
      accounts.push_back(std::move(*account));
    } else {
      log_line(LogLevel::warn, "redis: account %lld is missing or malformed; skipped", static_cast<long long>(id));
    }
  }
  return true;
}

void RedisAccounts::create(const StoredAccount& account, const std::vector<std::string>& allowed_holders,
                           Engine::AccountDone done) {
  std::vector<std::string> argv{"EVAL", kCreateAccountScript, "4", keys_.account_keys(), keys_.account_ids(),
                                keys_.name_identity(account.identity_key), keys_.name_lookalike(account.lookalike_key),
                                account.identity_key, account.lookalike_key,
                                allowed_holders.size() > 0 ? allowed_holders[0] : "",
                                allowed_holders.size() > 1 ? allowed_holders[1] : "",
                                keys_.account_prefix(), account.name, account.password_hash,
                                std::to_string(account.created_ms), std::to_string(account.password_changed_ms),
                                keys_.accounts_channel(), encode_account_event_body(account)};
  command_(std::move(argv), [this, account, done = std::move(done)](const RedisReply& reply) {
    if (reply.is_error() || reply.type != RedisReply::Type::integer) {
      log_line(LogLevel::warn, "redis: account not created: %s", reply.text.c_str());
      return done(AccountOutcome::failed, 0);
    }
    if (reply.integer == 0) return done(AccountOutcome::conflict, 0);
    StoredAccount created = account;
    created.id = reply.integer;
    created.password_hash.clear();
    report(created);  // the inbox first, then the request's answer, as for rooms
    done(AccountOutcome::done, created.id);
  });
}

void RedisAccounts::read(AccountId id, Engine::AccountRead done) {
  command_({"HGETALL", keys_.account(id)}, [id, done = std::move(done)](const RedisReply& reply) {
    if (reply.is_error() || reply.type != RedisReply::Type::array) {
      log_line(LogLevel::warn, "redis: account %lld not read: %s", static_cast<long long>(id), reply.text.c_str());
      return done(false, std::nullopt);
    }
    if (reply.elements.empty()) return done(true, std::nullopt);
    auto account = decode_account_fields(id, pairs_of(reply), /*with_hash=*/true);
    if (!account) {
      log_line(LogLevel::warn, "redis: account %lld is malformed; not read", static_cast<long long>(id));
      return done(false, std::nullopt);
    }
    done(true, std::move(account));
  });
}

// Looked up by its identity key in chat:accountkeys, then read; reported to the inbox before the
// answer, as a creation is, so the node knows the account from then on.
void RedisAccounts::find(const std::string& identity_key, Engine::AccountRead done) {
  command_({"HGET", keys_.account_keys(), identity_key}, [this, done = std::move(done)](const RedisReply& reply) mutable {
    if (reply.is_error()) {
      log_line(LogLevel::warn, "redis: account key not read: %s", reply.text.c_str());
      return done(false, std::nullopt);
    }
    if (reply.type != RedisReply::Type::string) return done(true, std::nullopt);  // nil: no such account
    const auto id = decode_account_id(reply.text);
    if (!id) {
      log_line(LogLevel::warn, "redis: account key with a malformed id skipped");
      return done(false, std::nullopt);
    }
    read(*id, [this, done = std::move(done)](bool ok, std::optional<StoredAccount> account) {
      if (ok && account) {
        StoredAccount known = *account;
        known.password_hash.clear();
        report(known);
      }
      done(ok, std::move(account));
    });
  });
}

void RedisAccounts::set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                                 const std::string& keep_token_id, PasswordSet done) {
  command_({"EVAL", kSetPasswordScript, "2", keys_.account(id), keys_.tokens(), password_hash, std::to_string(changed_ms),
            keep_token_id, std::to_string(id), keys_.tokens_channel()},
           [id, done = std::move(done)](const RedisReply& reply) {
             if (reply.is_error() || reply.type != RedisReply::Type::array) {
               log_line(LogLevel::warn, "redis: password of account %lld not set: %s", static_cast<long long>(id),
                        reply.type == RedisReply::Type::nil ? "no such account" : reply.text.c_str());
               return done(false, {});
             }
             std::vector<std::string> deleted;
             for (const auto& element : reply.elements) deleted.push_back(element.text);
             done(true, std::move(deleted));
           });
}

void RedisAccounts::on_message(const std::string& payload) {
  auto account = decode_account_created(payload);
  if (!account) {
    log_line(LogLevel::warn, "redis: malformed account event skipped");
    return;
  }
  report(*account);
}

void RedisAccounts::resync() {
  command_({"HGETALL", keys_.account_keys()}, [this](const RedisReply& keys) {
    if (keys.is_error()) return;  // the link is down again: the next subscription retries
    for (const AccountId id : ids_of(keys)) {
      command_({"HGETALL", keys_.account(id)}, [this, id](const RedisReply& fields) {
        if (fields.is_error()) return;
        if (auto account = decode_account_fields(id, pairs_of(fields), /*with_hash=*/false)) report(*account);
      });
    }
  });
}

void RedisAccounts::report(const StoredAccount& account) {
  if (inbox_ != nullptr) inbox_->account_created(account);
}

}  // namespace chat::redis
