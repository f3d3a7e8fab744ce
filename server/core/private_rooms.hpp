// Who may see each private room and direct conversation (docs/ACCOUNTS.md, Step 3): per room its
// owner and its members in the order they were added, per account the rooms it is a member of.
// Every node keeps all of them in memory (8 bytes a member, at most max-rooms x max-room-members;
// conversations have two). Pure bookkeeping by room name: names are what the engine's inbox
// speaks, and RoomIds are reused. Knows nothing of sessions or sending.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "server/ports/store.hpp"

namespace chat {

// The two accounts of a conversation, from its name (dm_room_name), lower id first; empty for any
// other name. The name is the truth: a store that kept no members for it still yields them.
std::vector<AccountId> conversation_people(const std::string& room);

// The last of `names` (a JSON array of them) that fit in `limit` bytes of which `used` are spent,
// oldest first: the clients' frame limit bounds what one list can name.
std::vector<std::string> newest_that_fit(const std::vector<std::string>& names, std::size_t limit, std::size_t used);

class PrivateRooms {
 public:
  // A private room (owner != 0) or a conversation (owner 0, a dm_room_name), with its first
  // members (the owner among them). A room already known is left as it is (a repeat).
  void add_room(const std::string& room, AccountId owner, const std::vector<AccountId>& members);
  void remove_room(const std::string& room);

  bool is_private(const std::string& room) const { return rooms_.count(room) > 0; }
  bool is_member(const std::string& room, AccountId account) const;
  // 0 for a conversation, or a room that is not private.
  AccountId owner(const std::string& room) const;
  // In the order they became members; empty for a room that is not private.
  const std::vector<AccountId>& members(const std::string& room) const;
  // True when `room` already has `max_members` members, counting `joining` on their way in.
  bool full(const std::string& room, std::size_t max_members, std::size_t joining = 0) const;

  // False (nothing changes) if the room is not private, or `account` is a member already. The cap
  // is the caller's to check (full): what the engine stored is kept here whatever its number.
  bool add_member(const std::string& room, AccountId account);
  // False (nothing changes) if the room is not private or `account` is no member of it.
  bool remove_member(const std::string& room, AccountId account);

  // The private rooms and conversations `account` is a member of, in order of their creation.
  std::vector<std::string> rooms_of(AccountId account) const;
  std::size_t conversations() const { return conversations_; }

 private:
  struct Room {
    AccountId owner = 0;
    std::vector<AccountId> members;
    std::uint64_t created = 0;  // order of creation (as heard), for rooms_of
  };
  std::unordered_map<std::string, Room> rooms_;
  std::unordered_map<AccountId, std::unordered_set<std::string>> rooms_by_account_;
  std::uint64_t next_created_ = 0;
  std::size_t conversations_ = 0;
};

}  // namespace chat
