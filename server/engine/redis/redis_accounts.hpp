// RedisAccounts: the accounts of a cluster (docs/ACCOUNTS.md, Storage) on the engine's command
// link. Creating one is a single script that checks both name keys against the accounts and the
// names claimed by guests, gives the id and announces the account on chat:accounts-changed; a
// password change is a single script that also deletes the account's other sessions (tokens), so
// no node can accept an ended session once the new hash is visible. Every node's inbox hears every
// account (this node's own ones included: the core ignores an id it knows), and after a
// resubscription all of them again, since announcements made while the link was down are lost.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/engine/redis/redis_connection.hpp"
#include "server/engine/redis/redis_keys.hpp"
#include "server/ports/engine.hpp"

namespace chat::redis {

class RedisAccounts {
 public:
  using Command = std::function<void(std::vector<std::string>, RedisConnection::ReplyCallback)>;
  using Run = std::function<RedisReply(const std::vector<std::string>&)>;  // blocking, at start-up
  // ok false: not changed; else the ids of the tokens it deleted (already announced as deleted).
  using PasswordSet = std::function<void(bool ok, std::vector<std::string> deleted_tokens)>;

  RedisAccounts(RedisKeys keys, Command command) : keys_(std::move(keys)), command_(std::move(command)) {}
  void set_inbox(EngineInbox& inbox) { inbox_ = &inbox; }

  // Every account, without its password hash; false (and `error` the reply) if Redis failed.
  // Malformed accounts are logged and left out.
  bool load(const Run& run, std::vector<StoredAccount>& accounts, RedisReply& error) const;
  // `allowed_holders`: the claim values that do not count as a conflict (the registrant's own).
  void create(const StoredAccount& account, const std::vector<std::string>& allowed_holders, Engine::AccountDone done);
  void read(AccountId id, Engine::AccountRead done);
  void find(const std::string& identity_key, Engine::AccountRead done);
  void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                    const std::string& keep_token_id, PasswordSet done);

  void on_message(const std::string& payload);  // from chat:accounts-changed
  void resync();                                // that channel is (again) subscribed

 private:
  void report(const StoredAccount& account);

  RedisKeys keys_;
  Command command_;
  EngineInbox* inbox_ = nullptr;
};

}  // namespace chat::redis
