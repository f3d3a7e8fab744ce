// Two maps kept in step: name -> holder answers "is it taken" in O(1), session -> name answers
// "who is this" and lets a disconnect release the name without a search. An account's name stays
// in the index until the last of its sessions releases it.
#include "server/core/name_registry.hpp"

namespace chat {

bool NameRegistry::claim(SessionId session, const std::string& name, const NameKeys& keys, AccountId account) {
  if (holders_.holder_other_than(keys, Holder{session, account})) return false;
  release(session);  // also when re-claiming under another spelling of the same keys
  if (account == 0 || account_holds_[account]++ == 0) holders_.add(keys, Holder{session, account});
  names_.emplace(session, Held{name, account});
  return true;
}

void NameRegistry::release(SessionId session) {
  const auto it = names_.find(session);
  if (it == names_.end()) return;
  const Held& held = it->second;
  if (held.account == 0) {
    holders_.remove(name_keys(held.name), Holder{session, 0});
  } else if (--account_holds_[held.account] == 0) {
    account_holds_.erase(held.account);
    holders_.remove(name_keys(held.name), Holder{session, held.account});
  }
  names_.erase(it);
}

const std::string* NameRegistry::name_of(SessionId session) const {
  const auto it = names_.find(session);
  return it == names_.end() ? nullptr : &it->second.name;
}

AccountId NameRegistry::account_of(SessionId session) const {
  const auto it = names_.find(session);
  return it == names_.end() ? 0 : it->second.account;
}

}  // namespace chat
