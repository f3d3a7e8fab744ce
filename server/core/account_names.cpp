#include "server/core/account_names.hpp"

namespace chat {

bool AccountNames::add(const StoredAccount& account) {
  const NameKeys keys{account.identity_key, account.lookalike_key};
  if (account.id == 0 || accounts_.count(account.id) != 0 || index_.holder(keys)) return false;
  index_.add(keys, account.id);
  accounts_.emplace(account.id, Account{account.name, account.identity_key});
  return true;
}

const AccountNames::Account* AccountNames::find(AccountId id) const {
  const auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

}  // namespace chat
