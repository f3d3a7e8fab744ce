// The accounts of the memory fakes (MemoryStore, ScriptedEngine): what a real store's UNIQUE keys
// and its single-row updates would answer, kept in a map.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "server/ports/store.hpp"

namespace chat {

class AccountTable {
 public:
  // `conflict` (id 0) if either key is an account's already; else the new account's id.
  std::pair<AccountOutcome, AccountId> create(const StoredAccount& account) {
    for (const auto& [id, held] : accounts_) {
      if (held.identity_key == account.identity_key || held.lookalike_key == account.lookalike_key) {
        return {AccountOutcome::conflict, 0};
      }
    }
    const AccountId id = static_cast<AccountId>(accounts_.size()) + 1;
    accounts_[id] = account;
    accounts_[id].id = id;
    return {AccountOutcome::done, id};
  }
  std::optional<StoredAccount> read(AccountId id) const {
    const auto found = accounts_.find(id);
    return found == accounts_.end() ? std::nullopt : std::optional<StoredAccount>(found->second);
  }
  // False if there is no such account.
  bool set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms) {
    const auto found = accounts_.find(id);
    if (found == accounts_.end()) return false;
    found->second.password_hash = password_hash;
    found->second.password_changed_ms = changed_ms;
    return true;
  }
  const std::map<AccountId, StoredAccount>& all() const { return accounts_; }

 private:
  std::map<AccountId, StoredAccount> accounts_;
};

}  // namespace chat
