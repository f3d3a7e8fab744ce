// The port for durable state: rooms, chat lines, resume tokens. Requests never complete inside the
// call that makes them: every completion callback runs later on the loop thread (SqliteStore runs
// them after committing a batch at the end of a loop iteration), in the order the requests were
// made. That order is what lets the core guarantee that a line is
// stored before anyone sees it and that history and live lines neither overlap nor leave a gap.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/protocol.hpp"

namespace chat {

using AccountId = std::int64_t;  // 0: no account (a guest)

// Public rooms are open to all. A private room (docs/ACCOUNTS.md) is seen, read and joined by its
// members alone, accounts all: its owner, and whoever the owner invited. A direct conversation is a
// private room with no owner and exactly its two people as members, under a name no person can
// type (dm_room_name). Members are stored with the room and change through add/remove_room_member.
struct StoredRoom {
  std::string name;
  std::int64_t last_line_id = 0;  // 0 if the room has no line
  std::string creator;            // the name that created it; empty for general and older rooms
  std::int64_t created_ms = 0;
  std::string epoch;              // of last_line_id (see Engine); stores leave it to the engine
  bool is_private = false;
  AccountId owner = 0;               // a private room's owner (also in members); 0: none
  std::vector<AccountId> members;    // a private room's members (created with these); empty if public
};

// The stored name of the direct conversation between two accounts: the same whichever of them
// asks. It starts with a control character, which every name rule refuses, so it never collides
// with a room a person created.
inline std::string dm_room_name(AccountId one, AccountId other) {
  const auto [low, high] = std::minmax(one, other);
  return "\x01" "dm:" + std::to_string(low) + ":" + std::to_string(high);
}
// True for a name dm_room_name made (such rooms are left out of name checks and room lists).
inline bool is_dm_room_name(std::string_view name) { return name.substr(0, 4) == "\x01" "dm:"; }

struct StoredToken {
  std::string id;           // public half of the token, the lookup key
  std::string secret_hash;  // SecretHasher::hash of the secret half; the secret itself is never kept
  std::string user;
  std::int64_t last_used_ms = 0;  // issued or last resumed with: it expires that long after
  AccountId account = 0;          // the account whose session this is; 0: a guest's resume token
  std::int64_t created_ms = 0;    // issued at (0 for tokens stored before accounts existed)
};

// An account (docs/ACCOUNTS.md). `name` is its owner's spelling; the two keys are
// name_keys(name) as the rules made them at registration (both UNIQUE among accounts).
struct StoredAccount {
  AccountId id = 0;  // given by the store or engine on creation
  std::string name;
  std::string identity_key;
  std::string lookalike_key;
  std::string password_hash;  // PasswordHasher's encoded form; empty in StoredState (never loaded)
  std::int64_t created_ms = 0;
  std::int64_t password_changed_ms = 0;
};

struct StoredState {
  std::vector<StoredRoom> rooms;  // in order of creation
  std::vector<StoredToken> tokens;
  std::vector<StoredAccount> accounts;  // without their password_hash
};

// What became of an account's creation: `conflict` when either key is already an account's.
enum class AccountOutcome { done, conflict, failed };

// An account's read marker in one room or direct conversation (docs/ACCOUNTS.md, step 4): the last
// line it has read, and the last line that mentioned it. Both only ever rise.
struct ReadMarker {
  std::string room;
  std::int64_t last_read_id = 0;
  std::int64_t last_mention_id = 0;
};

// A page of one room's lines: those with before_id > id > after_id (0 = unbounded), at most
// `limit`, the newest of them when paging back (after_id == 0), else the oldest.
struct LineQuery {
  std::string room;
  std::int64_t after_id = 0;
  std::int64_t before_id = 0;
  int limit = 50;
};

struct LinePage {
  bool ok = true;
  std::vector<ChatLine> lines;  // oldest first
  bool more = false;            // further lines exist beyond the page in the direction asked
  std::string epoch;            // the room's numbering the ids belong to (see Engine)
};

class Store {
 public:
  using Done = std::function<void(bool ok)>;
  using PageDone = std::function<void(LinePage page)>;

  virtual ~Store() = default;
  // Once, at start-up, before the loop runs (may block). Empty on a new store.
  virtual bool load(StoredState& state) = 0;
  virtual void create_room(const StoredRoom& room, Done done) = 0;
  // Removes the room and every line of it.
  virtual void delete_room(const std::string& name, Done done) = 0;
  virtual void append_line(const std::string& room, const ChatLine& line, Done done) = 0;
  virtual void read_lines(const LineQuery& query, PageDone done) = 0;
  virtual void save_token(const StoredToken& token, Done done) = 0;
  // Revoked or expired tokens; ids that are not stored are no error.
  virtual void delete_tokens(const std::vector<std::string>& ids, Done done) = 0;

  // ---- Accounts (docs/ACCOUNTS.md).
  using AccountDone = std::function<void(AccountOutcome, AccountId)>;  // the new id when done
  // ok false: the store failed; ok true and nullopt: no such account.
  using AccountRead = std::function<void(bool ok, std::optional<StoredAccount>)>;
  virtual void create_account(const StoredAccount& account, AccountDone done) = 0;
  virtual void read_account(AccountId id, AccountRead done) = 0;  // with its password_hash
  // The new hash, and every token of the account but `keep_token_id` deleted, in one transaction.
  virtual void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                            const std::string& keep_token_id, Done done) = 0;

  // ---- Private rooms' members. Adding a member who is one already, or removing one who is not,
  // is no error (ok true); a room that is not stored is (ok false).
  virtual void add_room_member(const std::string& room, AccountId account, Done done) = 0;
  virtual void remove_room_member(const std::string& room, AccountId account, Done done) = 0;

  // ---- Read markers and mentions (step 4). Raising to an id at or below the stored one changes
  // nothing and is no error. delete_room deletes the room's markers with it.
  using MarkersRead = std::function<void(bool ok, std::vector<ReadMarker> markers)>;
  virtual void read_markers(AccountId account, MarkersRead done) = 0;  // every room's, in no order
  virtual void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) = 0;
  // Each account's last_mention_id in `room` rises to `id` (a marker is made if there was none).
  virtual void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                              Done done) = 0;

  // Requests sent but whose completion has not run yet: the core's back-pressure signal.
  virtual std::size_t pending() const = 0;
};

}  // namespace chat
