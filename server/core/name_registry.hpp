// Who holds which nickname: at most one name per session; a guest's name is held by one session,
// an account's name by any number of that account's own sessions (its devices and tabs), never by
// anyone else. Names are unique by both keys of name_keys(), so "Alice" and "alice" (or "ɑlice",
// "aIice") cannot both be held.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/names/name_index.hpp"
#include "server/names/name_keys.hpp"
#include "server/ports/store.hpp"
#include "server/ports/transport.hpp"

namespace chat {

class NameRegistry {
 public:
  // Gives `name` to `session` (signed in to `account`, 0 for a guest), releasing the session's
  // previous name. Returns false, changing nothing, if someone else holds the name: another
  // session, unless both are sessions of the same account.
  bool claim(SessionId session, const std::string& name, AccountId account = 0) {
    return claim(session, name, name_keys(name), account);
  }
  // The same with name_keys(name) already computed (a login computes them once for every check).
  bool claim(SessionId session, const std::string& name, const NameKeys& keys, AccountId account = 0);
  void release(SessionId session);
  // True if someone other than `session` (of `account`) holds `name` (by either key).
  bool held_by_other(SessionId session, const std::string& name, AccountId account = 0) const {
    return held_by_other(session, name_keys(name), account);
  }
  bool held_by_other(SessionId session, const NameKeys& keys, AccountId account = 0) const {
    return holders_.holder_other_than(keys, Holder{session, account}).has_value();
  }
  // Who holds the name here, by either key: nullopt if no one, else the holder's account (0: a guest).
  std::optional<AccountId> holding_account(const NameKeys& keys) const {
    const auto holder = holders_.holder(keys);
    return holder ? std::optional<AccountId>(holder->account) : std::nullopt;
  }
  // The session's name, or nullptr if it has none (not logged in).
  const std::string* name_of(SessionId session) const;
  // The account the session's name is held for: 0 for a guest or a session with no name.
  AccountId account_of(SessionId session) const;

 private:
  // An account's sessions count as one holder: the index keeps the first, `account_holds_` counts.
  struct Holder {
    SessionId session;
    AccountId account;
    bool operator==(const Holder& other) const {
      return session == other.session || (account != 0 && account == other.account);
    }
  };
  // The keys are computed again on release rather than kept: 64 bytes a connection, against a
  // table look-up for the printable ASCII most names are made of.
  struct Held {
    std::string name;  // as the session wrote it, for display
    AccountId account;
  };
  NameIndex<Holder> holders_;
  std::unordered_map<SessionId, Held> names_;
  std::unordered_map<AccountId, std::size_t> account_holds_;  // sessions holding each account's name
};

}  // namespace chat
