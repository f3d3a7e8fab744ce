// The names of every account, by both keys, kept in memory on every node (docs/ACCOUNTS.md,
// Names): a guest login of a registered name or of any look-alike is refused without a round trip,
// and a password login finds its account by the identity key alone ("aIice" is not alice's login).
// About 250 bytes an account; filled from the engine's load and its account_created inbox. The
// password hash is never kept here: a login reads it through the engine.
// Registrations are capped per address (ChatService's token issues); a cap on the total is an
// open point of the design (number 3).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "server/names/name_index.hpp"
#include "server/names/name_keys.hpp"
#include "server/ports/store.hpp"

namespace chat {

class AccountNames {
 public:
  struct Account {
    std::string name;          // its owner's spelling
    std::string identity_key;  // what the login attempt limiter counts under
  };

  // False, changing nothing, if the id or either key is already known (the same account heard
  // twice, from the load and the inbox).
  bool add(const StoredAccount& account);
  // The account owning either key (a guest may not take the name).
  std::optional<AccountId> owner(const NameKeys& keys) const { return index_.holder(keys); }
  // The account a password login of this name means: by the identity key only.
  std::optional<AccountId> by_identity(const NameKeys& keys) const { return index_.identity_holder(keys.identity); }
  const Account* find(AccountId id) const;
  std::size_t size() const { return accounts_.size(); }

 private:
  NameIndex<AccountId> index_;
  std::unordered_map<AccountId, Account> accounts_;
};

}  // namespace chat
