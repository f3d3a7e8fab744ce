// The port to where the chat's shared state lives and where each room's lines are numbered: one
// node's SQLite store (LocalEngine) or a cluster's Redis (RedisEngine). The engine, not the core,
// gives a line its id; and the engine hands the core, through its EngineInbox, every line, room
// creation and room deletion from any node (this one included), each room's lines in id order.
// The core delivers chat lines to people only from that inbox, so one code path serves one node
// and a cluster. Shaped after Centrifuge's Broker (publish -> position; one handler for every
// publication).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "server/names/name_keys.hpp"
#include "server/ports/store.hpp"
#include "server/ports/transport.hpp"
#include "shared/protocol.hpp"

namespace chat {

// What became of a publish. `stored`: the line has `id` in `epoch` and will reach the inbox.
// `refused`: it was not stored (the engine is unreachable, full, ...). `unknown`: the engine may or
// may not have stored it (a link dropped before the answer); if it did, it reaches the inbox.
enum class PublishOutcome { stored, refused, unknown };

struct PublishResult {
  PublishOutcome outcome = PublishOutcome::refused;
  std::string epoch;
  std::int64_t id = 0;
  std::string error;  // for the log, when not stored
};

// The answer to a room creation or deletion. `conflict`: the name exists (creation) or does not
// (deletion), e.g. because another node got there first. A creation's conflict with a room of that
// very name comes after the inbox heard of that room (room_created, with its members), so the
// requester may go on with it (a conversation's first line racing the other person's).
enum class RoomOutcome { done, conflict, failed };

class EngineInbox {
 public:
  virtual ~EngineInbox() = default;
  // A line stored in `room`. Per room in id order as published; an id may repeat (dropped) or be
  // missing (the core reads history to heal); `epoch` changes only when the room's numbering
  // started again (the room was deleted and created again, or the engine lost its counter).
  virtual void line_published(const std::string& room, const std::string& epoch, const ChatLine& line) = 0;
  // An id that will never hold a line (its write failed after the id was given): not a loss.
  virtual void line_void(const std::string& room, const std::string& epoch, std::int64_t id) = 0;
  // The room's live feed (re)started (e.g. after a reconnect): lines may have been missed before.
  virtual void room_live(const std::string& room) = 0;
  // Rooms created or deleted by any node. An engine reports its own node's change here *before*
  // it completes the request that made it; repeats are harmless (the core ignores them).
  virtual void room_created(const StoredRoom& room) = 0;
  virtual void room_deleted(const std::string& room) = 0;
  // Resume tokens saved (issued, renewed) or deleted by another node, so that a client resumes on
  // any node. An engine of one node has no other node and never calls these.
  virtual void token_saved(const StoredToken& token) = 0;
  virtual void token_deleted(const std::string& id) = 0;
  // Another node's member entered or left a room (`node`: which one; a node that died is
  // reported leaving with each of its members).
  virtual void member_joined(const std::string& room, const std::string& user, const std::string& node) = 0;
  virtual void member_left(const std::string& room, const std::string& user, const std::string& node) = 0;
  // An account created by another node (without its password_hash), so every node refuses its
  // name to guests. An engine of one node never calls it.
  virtual void account_created(const StoredAccount& account) = 0;
  // A private room's member added or removed, by any node (this one's own changes included, as
  // for rooms: reported before the request completes; repeats are harmless).
  virtual void room_member_added(const std::string& room, AccountId account) = 0;
  virtual void room_member_removed(const std::string& room, AccountId account) = 0;
  // An account's read marker raised to `id`, by any node (this one's own included, before the
  // request completes; the core keeps the highest it heard, so repeats and reordering are harmless).
  virtual void read_marker_raised(AccountId account, const std::string& room, std::int64_t id) = 0;
  // Another node's session is typing in `room` (a conversation's stored name for a direct one).
  virtual void typing(const std::string& room, const std::string& user, const std::string& node) = 0;
};

// What became of a name claim: `taken` by someone (or a reservation) elsewhere in the cluster.
enum class ClaimOutcome { claimed, taken, failed };

class Engine {
 public:
  using PublishDone = std::function<void(PublishResult)>;
  using RoomDone = std::function<void(RoomOutcome)>;
  using Done = std::function<void(bool ok)>;
  using PageDone = std::function<void(LinePage page)>;

  virtual ~Engine() = default;
  // Once, at start-up, before the loop runs (may block): rooms with their last line id and epoch,
  // and the resume tokens.
  virtual bool load(StoredState& state) = 0;
  virtual void set_inbox(EngineInbox& inbox) = 0;

  // Every completion below runs later on the loop thread, never inside the call.
  virtual void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
                       PublishDone done) = 0;
  virtual void read_lines(const LineQuery& query, PageDone done) = 0;  // the page says its epoch
  // A private room is created with its members (StoredRoom::members, the owner among them).
  virtual void create_room(const StoredRoom& room, RoomDone done) = 0;
  virtual void delete_room(const std::string& name, RoomDone done) = 0;  // with every line of it
  virtual void save_token(const StoredToken& token, Done done) = 0;
  virtual void delete_tokens(const std::vector<std::string>& ids, Done done) = 0;

  // ---- Accounts (docs/ACCOUNTS.md), as the Store's: completions on the loop, never inside.
  // create_account is `conflict` if either key is an account's, or (cluster) is claimed by a
  // session other than `session`; in a cluster every other node's inbox hears account_created.
  using AccountDone = Store::AccountDone;
  using AccountRead = Store::AccountRead;
  virtual void create_account(const StoredAccount& account, SessionId session, AccountDone done) = 0;
  virtual void read_account(AccountId id, AccountRead done) = 0;  // with its password_hash
  // The new hash; every token of the account but `keep_token_id` deleted at the same time (other
  // nodes hear token_deleted for each).
  virtual void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                            const std::string& keep_token_id, Done done) = 0;

  // ---- Private rooms' members: `conflict` when the room does not exist (any more); adding a
  // member already there or removing one who is not is `done`, and still heard by the inboxes.
  virtual void add_room_member(const std::string& room, AccountId account, RoomDone done) = 0;
  virtual void remove_room_member(const std::string& room, AccountId account, RoomDone done) = 0;

  // ---- Read markers and mentions (docs/ACCOUNTS.md, step 4), as the Store's. raise_read_marker is
  // heard by every node's inbox (read_marker_raised), so the account's other devices follow.
  using MarkersRead = Store::MarkersRead;
  virtual void read_markers(AccountId account, MarkersRead done) = 0;
  virtual void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) = 0;
  virtual void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                              Done done) = 0;

  // ---- Names and presence shared by a cluster's nodes. An engine of one node shares nothing
  // (cluster() false): the core then keeps names, reservations and presence in its memory alone,
  // and never calls these.
  using ClaimDone = std::function<void(ClaimOutcome)>;
  virtual bool cluster() const { return false; }
  // Claims a name (both keys) for a session; `token_id` (may be empty) is the session's resume
  // token, which may take over a claim reserved for it. The node keeps its claims alive until
  // released or reserved; if the node dies they lapse within a bounded time.
  virtual void claim_name(const NameKeys&, SessionId, const std::string& /*token_id*/, ClaimDone) {}
  // The session's claim now belongs to its new resume token (issued after the claim).
  virtual void name_now_held_by_token(const NameKeys&, SessionId, const std::string& /*token_id*/) {}
  virtual void release_name(const NameKeys&, SessionId, const std::string& /*token_id*/) {}
  // The session dropped: the claim is kept for its token for grace_ms, then lapses.
  virtual void reserve_name(const NameKeys&, const std::string& /*token_id*/, std::int64_t /*grace_ms*/) {}
  // This node's member entered or left a room: every other node's inbox hears it.
  virtual void announce_presence(const std::string& /*room*/, const std::string& /*user*/, bool /*joined*/) {}
  // This node's session is typing in `room`: every other node's inbox hears it (never stored).
  virtual void announce_typing(const std::string& /*room*/, const std::string& /*user*/) {}
  // The account whose name has this identity key, with its password_hash, for a sign-in to an
  // account this node has not heard of (its account_created may still be on its way from the node
  // that registered it); the inbox hears account_created first. nullopt: there is none.
  virtual void find_account(const std::string& /*identity_key*/, AccountRead) {}

  // Store work (lines, rooms, tokens, accounts, history, markers) whose completion has not run
  // yet: the core's back-pressure signal. A cluster's names and presence are not counted: one
  // node keeps them in memory, and a crowd's logins must not crowd out its lines.
  virtual std::size_t pending() const = 0;
  // False while the engine knows it cannot store (e.g. its link to Redis is down): lines are then
  // refused at once rather than queued.
  virtual bool available() const { return true; }
};

}  // namespace chat
