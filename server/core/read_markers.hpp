// The read markers (docs/ACCOUNTS.md, step 4) of the accounts that have a ready session on this
// node, by account and room name, and the index the other way: which of those accounts follow a
// room, so a line costs O(its room's local followers), not a scan of every session.
// An account follows a room it holds a marker for: its private rooms and conversations (followed
// with a marker at 0 when it becomes a member) and the public rooms it read in.
// Pure bookkeeping by room name (names are what the engine's inbox speaks); knows nothing of
// sessions or sending. Caps: an account's markers are bounded by the rooms it may see (the core
// follows only rooms that exist and the account may see), and accounts by those with a session.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/ports/store.hpp"

namespace chat {

struct Marker {
  std::int64_t last_read_id = 0;
  std::int64_t last_mention_id = 0;
};

class ReadMarkers {
 public:
  // The account's first session here is ready: its markers are kept from now on, while the
  // stored ones load. False if it was held already.
  bool hold(AccountId account);
  bool holds(AccountId account) const { return accounts_.count(account) > 0; }
  bool loading(AccountId account) const;
  // The stored markers, merged with the raises heard meanwhile (both only rise: MAX). True if the
  // account was loading (the first load to complete); an account not held is left alone.
  bool loaded(AccountId account, const std::vector<ReadMarker>& stored);
  // Its last session here went.
  void forget(AccountId account);

  // From now on the account follows the room (a marker at 0 if it had none); nothing if not held.
  void follow(AccountId account, const std::string& room);
  void unfollow(AccountId account, const std::string& room);
  // The room was deleted: every marker in it goes.
  void forget_room(const std::string& room);
  // The room numbers anew (an engine that lost its lines): its markers start again from 0, its
  // followers still follow it.
  void reset_room(const std::string& room);

  // Each rises to `id` if below it (following the room if need be). True if it rose; false, with
  // nothing kept, for an account not held.
  bool raise_read(AccountId account, const std::string& room, std::int64_t id);
  // A marker the mention makes in a public room starts read up to the line before it: the person
  // is told of the mention, not of the whole past of a room they never read. Private rooms and
  // conversations are followed by their members from their first line.
  bool raise_mention(AccountId account, const std::string& room, std::int64_t id, bool public_room);

  const Marker* find(AccountId account, const std::string& room) const;
  // Every room the account follows, by name; empty when not held.
  const std::map<std::string, Marker>& rooms_of(AccountId account) const;
  // The held accounts following the room.
  const std::unordered_set<AccountId>& followers(const std::string& room) const;
  std::size_t accounts() const { return accounts_.size(); }

 private:
  struct Account {
    bool loading = true;
    std::map<std::string, Marker> rooms;  // by name: the login frame lists them in a stable order
  };
  Marker* marker(AccountId account, const std::string& room);  // followed on the way; null if not held

  std::unordered_map<AccountId, Account> accounts_;
  std::unordered_map<std::string, std::unordered_set<AccountId>> followers_;
};

}  // namespace chat
