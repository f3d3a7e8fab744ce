// RedisKeys: where a room's data lives in Redis. The room name comes last in every key, after a
// fixed kind word, so no two rooms (whatever their names hold) can share a key. See docs/CLUSTER.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::redis {

struct RedisKeys {
  std::string prefix = "chat:";  // one Redis may host several chats with different prefixes

  std::string meta(std::string_view room) const { return prefix + "meta:" + std::string(room); }      // hash: id, epoch
  std::string stream(std::string_view room) const { return prefix + "stream:" + std::string(room); }  // the room's lines
  std::string channel(std::string_view room) const { return prefix + "line:" + std::string(room); }   // pub/sub
  // Cluster-wide state that is not one room's (see redis_room_codec.hpp and redis_cluster_codec.hpp
  // for the values).
  std::string rooms() const { return prefix + "rooms"; }                 // hash: room name -> record
  std::string room_keys() const { return prefix + "roomkeys"; }          // hash: name key -> room name
  std::string rooms_channel() const { return prefix + "rooms-changed"; } // pub/sub: rooms, members
  std::string tokens() const { return prefix + "tokens"; }               // hash: token id -> record
  std::string tokens_channel() const { return prefix + "tokens-changed"; }
  // set: "<node>:<user>", one entry per node a person is on in the room (named apart from the
  // earlier "members:" hash of user -> node, so nodes of the two versions never misread each other)
  std::string present(std::string_view room) const { return prefix + "present:" + std::string(room); }
  std::string presence_channel() const { return prefix + "presence"; }
  // A private room's members (sorted set of account ids, score = order of addition).
  std::string room_members_prefix() const { return prefix + "roommembers:"; }
  std::string room_members(std::string_view room) const { return room_members_prefix() + std::string(room); }
  // Accounts (docs/ACCOUNTS.md, Storage).
  std::string account_ids() const { return prefix + "account-ids"; }   // string: the last id given (INCR)
  std::string account_prefix() const { return prefix + "account:"; }  // + id: hash of one account
  std::string account(std::int64_t id) const { return account_prefix() + std::to_string(id); }
  std::string account_keys() const { return prefix + "accountkeys"; }  // hash: name key -> account id
  std::string accounts_channel() const { return prefix + "accounts-changed"; }  // pub/sub: new accounts
  // Read markers (docs/ACCOUNTS.md, step 4): one hash per account, room -> "<last read>:<last
  // mention>", and per room the set of accounts with a marker there (so the room's deletion
  // removes them). Raises are published on markers_channel; typing is only ever published.
  std::string markers_prefix() const { return prefix + "markers:"; }
  std::string markers(std::int64_t account) const { return markers_prefix() + std::to_string(account); }
  std::string marked_by(std::string_view room) const { return prefix + "markedby:" + std::string(room); }
  std::string markers_channel() const { return prefix + "markers-raised"; }
  std::string typing_channel() const { return prefix + "typing"; }
  // A name's claim keys (string, with expiry): the claimant, see redis_cluster_members.
  std::string name_identity(std::string_view key) const { return prefix + "name:id:" + std::string(key); }
  std::string name_lookalike(std::string_view key) const { return prefix + "name:look:" + std::string(key); }
  // The room a channel name belongs to; nullopt for a channel that is not one of ours.
  std::optional<std::string> room_of_channel(std::string_view channel) const;
};

}  // namespace chat::redis
