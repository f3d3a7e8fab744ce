// The chat core: decides what every client frame means (login, rooms, chat lines, history,
// resume, refusals) and what is sent to whom. Pure logic: sessions are ids, bytes leave through
// the Transport port, durable state and line numbering go through the Engine port (whose inbox
// this is), time comes from the Clock.
// Sockets, framing, queues, threads and SQL belong to the edges.
// Over 300 lines: it is one class's declaration, whose definitions are split by subject in
// chat_service_*.cpp (each file's header comment says which).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "server/accounts/login_attempt_limiter.hpp"
#include "server/accounts/password_policy.hpp"
#include "server/core/account_names.hpp"
#include "server/core/address_buckets.hpp"
#include "server/core/held_lines.hpp"
#include "server/core/name_registry.hpp"
#include "server/core/private_rooms.hpp"
#include "server/core/read_markers.hpp"
#include "server/core/rate_limiter.hpp"
#include "server/core/remote_members.hpp"
#include "server/core/request_order.hpp"
#include "server/core/resume_tokens.hpp"
#include "server/core/room_feed.hpp"
#include "server/core/room_registry.hpp"
#include "server/core/service_metrics.hpp"
#include "server/core/service_options.hpp"
#include "server/ports/clock.hpp"
#include "server/ports/engine.hpp"
#include "server/ports/password_hasher.hpp"
#include "server/ports/random_source.hpp"
#include "server/ports/secret_hasher.hpp"
#include "server/ports/session_handler.hpp"
#include "server/ports/transport.hpp"
#include "shared/limits.hpp"
#include "shared/protocol.hpp"

namespace chat {

class ChatService final : public SessionHandler, public EngineInbox {
 public:
  ChatService(Ports ports, ServiceOptions options);

  // Rooms, their last line ids and the resume tokens, from the engine, before any session.
  // Names the rules now refuse or find colliding are left out first (stored_names.hpp).
  void restore(const StoredState& stored);

  void connect(SessionId session, std::string_view address) override;
  void receive_text(SessionId session, std::string_view text) override;
  void receive_binary(SessionId session) override;
  void disconnect(SessionId session) override;

  // The engine's inbox: lines and room changes from every node, this one included.
  void line_published(const std::string& room, const std::string& epoch, const ChatLine& line) override;
  void line_void(const std::string& room, const std::string& epoch, std::int64_t id) override;
  void room_live(const std::string& room) override;
  void room_created(const StoredRoom& room) override;
  void room_deleted(const std::string& room) override;
  void token_saved(const StoredToken& token) override;
  void token_deleted(const std::string& id) override;
  void member_joined(const std::string& room, const std::string& user, const std::string& node) override;
  void member_left(const std::string& room, const std::string& user, const std::string& node) override;
  void account_created(const StoredAccount& account) override;
  void room_member_added(const std::string& room, AccountId account) override;
  void room_member_removed(const std::string& room, AccountId account) override;
  void read_marker_raised(AccountId account, const std::string& room, std::int64_t id) override;
  void typing(const std::string& room, const std::string& user, const std::string& node) override;

  std::size_t session_count() const { return sessions_.size(); }
  std::size_t room_count() const { return rooms_.count(); }
  const ServiceMetrics& metrics() const { return metrics_; }
  // Timers: call often (every loop iteration is fine); it does work only when some is due.
  void on_tick();

 private:
  struct Session {
    explicit Session(const RateLimits& rates) : limiter(rates) {}
    int version = kSeedVersion;
    std::string address;             // the client's, as per-address limits count it
    std::string token_id;            // v2: the session's resume token
    std::string token_text;          // ... as its client holds it: only the hash is kept elsewhere
    AccountId account = 0;           // signed in to this account (its token is the account's); 0: a guest
    std::uint64_t sync = 0;          // id of the history read whose result is awaited; 0: none
    HeldLines held;                  // live lines held back meanwhile
    // The last line id it has of its room (from history or live), in the feed's numbering: the
    // room's feed may lag behind a history read (another node's lines reach the stream before
    // they reach this node), and must not repeat what the page already gave.
    std::int64_t seen_id = 0;
    std::uint32_t seen_numbering = 0;
    // A v2 login or a resume waiting for the cluster's answer on its name: live lines skip it
    // (the history that follows the answer has them); a seed client would read them as its own.
    bool claiming = false;
    RateLimiter limiter;
    RequestOrder order;              // requests waiting for earlier ones to take effect
    bool reading_paused = false;
    std::int64_t next_typing_ms = 0;  // a typing notice before this is dropped (typing_interval_ms)
  };
  // Who asked, for replies that echo the request's id.
  struct Request {
    SessionId session;
    const std::string& request_id;
  };

  // In-order processing of one connection's requests (see RequestOrder).
  void admit(SessionId session, Session& state, ClientRequest request, std::size_t bytes);
  bool may_start_now(SessionId session, Session& state, const ClientRequest& request);
  bool accepted_at_once(SessionId session, Session& state, const SendMessage& line);
  void start(SessionId session, const ClientRequest& request);
  void finished(SessionId session, RequestOrder::Work work);
  void start_waiting(SessionId session);
  // Wraps an engine completion made for `session`'s request: later requests wait until it has run.
  template <class Completion>
  auto in_order(SessionId session, RequestOrder::Work work, Completion completion);

  void handle(const Request& request, const Login& login);
  void handle(const Request& request, const SendMessage& send);
  void handle(const Request& request, const CreateRoom& create);
  void handle(const Request& request, const JoinRoom& join);
  void handle(const Request& request, const Resume& resume);
  void handle(const Request& request, const History& history);
  void handle(const Request& request, const DeleteRoom& del);
  void handle(const Request& request, const PasswordLogin& login);
  void handle(const Request& request, const Register& registration);
  void handle(const Request& request, const Logout& logout);
  void handle(const Request& request, const ChangePassword& change);
  void handle(const Request& request, const ListSessions& list);
  void handle(const Request& request, const EndSession& end);
  void handle(const Request& request, const InviteMember& invite);
  void handle(const Request& request, const RemoveMember& removal);
  void handle(const Request& request, const ListRoomMembers& list);
  void handle(const Request& request, const MarkRead& mark);
  void handle(const Request& request, const Typing& typing);

  // Private rooms and direct conversations (chat_service_private_rooms.cpp, chat_service_dms.cpp).
  // The one check every route takes: the room named so, if it exists and `account` may see it (a
  // public room, or a private one it is a member of; a conversation never: it has no name on the
  // wire). Otherwise nullopt, answered as for a room that does not exist.
  std::optional<RoomId> visible_room(const std::string& name, AccountId account) const;
  bool is_public(const std::string& room) const;
  std::vector<std::string> public_room_names() const;
  // The account a name means (by identity key, as a password login), or nullopt.
  std::optional<AccountId> account_named(const std::string& name) const;
  bool is_account(const std::string& name) const { return account_named(name).has_value(); }
  const std::string& account_name(AccountId account) const;
  // The other person of the direct conversation `dm` names, or nullopt once the request is refused
  // (a guest, no such account, oneself): the one check every direct route takes.
  std::optional<AccountId> direct_partner(const Request& request, const std::string& dm);
  // After an account's logged_in or resumed: its sessions index, then its own rooms list if it is
  // in any private room or conversation.
  void account_session_ready(SessionId session);
  void send_own_rooms(SessionId session, AccountId account);
  void forget_account_session(SessionId session, Session& state);
  // Invite or removal through the engine: the requester gets the reply, the inbox tells the rest.
  void change_member(const Request& request, Event event, const std::string& room, AccountId account);
  // Invitations of this node still with the engine for `room`: they count against its cap.
  std::size_t invitations_in_flight(const std::string& room) const;
  void tell_member_change(Event event, const std::string& room, AccountId account);
  // A removed member's connections in the room go to general at once, as on the room's deletion.
  void move_out_of_room(const std::string& room, AccountId account);
  void publish_line(const Request& request, RoomId room, const std::string& text);
  void send_direct(const Request& request, const SendMessage& send);
  // The conversation's room is created through the engine on its first line; `then` runs once it
  // exists (or not: the outcome says).
  void open_conversation(const std::string& name, AccountId self, AccountId other, std::function<void(RoomOutcome)> then);
  bool may_open_conversation(const Request& request, AccountId self);
  void deliver_direct(RoomId room, const ChatLine& line);
  void history_direct(const Request& request, const History& history);
  void read_page(const Request& request, LineQuery query, const std::string& room, const std::string& dm);

  // keys: name_keys(login.user), computed once by the login's handler.
  void take_name(const Request& request, const Login& login, const NameKeys& keys);
  // A guest `login` or `resume` of a name an account owns (or is being registered): name_taken,
  // "registered":true. False when the name is free of accounts.
  // `keys`: name_keys(name), which the caller has at hand (an ICU pass each; every login pays it).
  bool refused_as_registered(const Request& request, const std::string& name, const NameKeys& keys);
  void resume_account(const Request& request, const Resume& resume, const StoredToken& token);

  // Read markers, unread counts and mentions (chat_service_unread.cpp, chat_service_mentions.cpp),
  // typing (chat_service_typing.cpp).
  void mark_read(const Request& request, AccountId account, const std::string& room, std::int64_t id);
  // The account's count in `room` (a conversation's stored name: `dm` is the other person); its
  // marker read as at least `read_at_least` (what a raise just stored, for an account not held).
  UnreadCount unread_count(AccountId account, const std::string& room, std::int64_t read_at_least = 0) const;
  void send_unread(SessionId session, AccountId account, const std::string& room, const std::string& request_id,
                   std::int64_t read_at_least = 0);
  // After an account's session is ready: its markers are loaded (its first session here), or its
  // counts sent at once.
  void counts_on_login(SessionId session, AccountId account);
  void markers_loaded(AccountId account, bool ok, const std::vector<ReadMarker>& stored);
  void send_all_counts(SessionId session, AccountId account);
  // A held account follows `room` if it may see it (its private rooms and conversations at once).
  void follow_if_held(AccountId account, const std::string& room);
  bool may_see(AccountId account, const std::string& room) const;
  // Lines just delivered in `room`: each account of this node following it hears its new count
  // on its sessions not in the room (a conversation's: all of them), unless the lines are its own.
  void count_lines(RoomId room, const std::vector<ChatLine>& lines);
  // The publishing node's part once a line is stored: the author has read it, and the accounts
  // it mentions have a mention there.
  void line_stored(AccountId author, const std::string& author_name, const std::string& room, std::int64_t id,
                   const std::string& text);
  // The accounts `text` mentions that may see `room`, the author left out (at most 20).
  std::vector<AccountId> mentioned_accounts(const std::string& room, const std::string& text,
                                            const std::string& author) const;
  // ChatLine::mentions of a line about to be sent (live or in a history page).
  void fill_mentions(const std::string& room, ChatLine& line) const;
  void fill_mentions(const std::string& room, std::vector<ChatLine>& lines) const;
  // A live line's mentions: filled, and this node's held accounts' markers raised.
  void note_mentions(const std::string& room, ChatLine& line);
  void typing_in_room(const Request& request, const std::string& room);
  void typing_direct(const Request& request, const std::string& dm);
  // True when the session's typing notice may go now (and the next not before the interval).
  bool typing_due(Session& session);
  void tell_typing_in_room(RoomId room, const std::string& user);

  // Accounts (chat_service_accounts.cpp, chat_service_sessions.cpp).
  struct PasswordAttempt {
    std::string user;            // as the client wrote it
    std::string password;
    AccountId account = 0;       // 0: no such account (checked against the dummy hash)
    std::string limiter_key;
    std::string address;
    std::string new_password;    // change_password only: what to store once `password` matched
  };
  // The attempt limiter's verdict: refused, run now, or run when its slot comes (held).
  void limit_attempt(const Request& request, PasswordAttempt attempt);
  void read_and_verify(const Request& request, PasswordAttempt attempt);
  void verify_password(const Request& request, PasswordAttempt attempt, const std::string& stored_hash);
  void password_verified(const Request& request, PasswordAttempt attempt, PasswordCheck check);
  void registration_hashed(const Request& request, const Register& registration, PasswordHash hash);
  // change_password, OLD matched: hashes NEW, stores it, ends the account's other sessions.
  void store_new_password(const Request& request, const PasswordAttempt& attempt);
  void rehash_if_alone(SessionId id, const PasswordAttempt& attempt);
  // The connection becomes a session of `account`: its guest name and token (if any) go, an
  // account token is issued and stored, and it is answered logged_in with "account":true.
  void become_account(const Request& request, AccountId account, const std::string& name);
  bool hasher_full(const Request& request);
  // False (after refusing) past the cap on accounts or the address's registrations this hour.
  bool may_create_account(const Request& request);
  // False (after refusing) when the address may have no new token now (an account sign-in always
  // makes one).
  bool may_issue_account_token(const Request& request, const Session& session);
  // False (after refusing) when the name is an account's, being registered, or held or kept for
  // someone else.
  bool free_to_register(const Request& request, const std::string& name);
  void revoke_guest_tokens(const std::string& name);
  void make_dummy_hash();
  void run_held_attempts(std::int64_t now);
  // Ends the sessions using the token (closed with 4001), except `keep`.
  void end_token_sessions(const std::string& token_id, SessionId keep = 0);
  void add_token_session(const std::string& token_id, SessionId session);
  void remove_token_session(const std::string& token_id, SessionId session);
  void resume_as(const Request& request, const Resume& resume, const std::string& name, const std::string& token_id);
  // v2: stores the session's resume token, acknowledges with it, then runs `then`.
  void finish_login(const Request& request, const std::string& name, Event event, std::function<void()> then);
  void hold_live_lines(Session& session);
  void catch_up(SessionId session, RoomId room, std::int64_t after_id);
  void enter_room(SessionId session, RoomId room, bool arrival);
  // fresh: a new read (live lines held from now on); else the next page of the same one.
  void send_history(SessionId session, RoomId room, std::int64_t after_id, bool fresh = true);
  void history_read(SessionId session, RoomId room, std::int64_t after_id, LinePage page);
  void history_unreadable(SessionId session);
  // A room's feed step: deliver its lines, release the requests waiting on them, heal a hole.
  void apply(RoomId room, RoomFeed::Step step);
  void read_feed(RoomId room);
  void deliver(RoomId room, const ChatLine& line);
  void announce(RoomId room, SessionId about, bool joined);
  // The same, under a name the session no longer holds (a rename announces the old one leaving).
  void announce_as(RoomId room, SessionId about, const std::string& name, bool joined);
  void tell_listeners(RoomId room, SessionId except, const PresenceFrame& presence);
  void tell_now_an_account(RoomId room, SessionId except, const std::string& name);
  // An account's sessions count as one person in a room: true when this arrival or departure of
  // one is the first arrival or last departure (guests: always).
  bool person_changes(RoomId room, SessionId about, bool joined);
  // True when `holder` (a name's holder here, as NameRegistry::holding_account says) is an account
  // with a session of this node in the room.
  bool account_here_in(RoomId room, std::optional<AccountId> holder) const;
  MembersFrame members_of(RoomId room) const;

  // False (after refusing) when a login would give the session's address one token too many.
  bool may_issue_token(const Request& request, const Session& session);
  void delete_revoked_tokens();
  // False (after refusing, or closing a flooder) when the request is over the session's limits.
  bool within_rate_limits(const Request& request, Session& session, const ClientFrame* frame);
  Session* find(SessionId session);
  void reply(const Request& request, MessageFrame frame);
  void refuse(const Request& request, const Error& error);
  void send_frame(SessionId session, const ServerFrame& frame);
  void refuse_rate_limited(const Request& request, std::int64_t wait_ms, const std::string& what = "");
  void add_room(const StoredRoom& room);
  void remove_room(RoomId room);
  // The session whose own creation or deletion of `room` is in flight (it gets the reply, not
  // the announcement), or 0.
  SessionId changing_room(const std::string& room) const;
  // Version-2 clients hear of each room created or deleted (and a deleted room's members);
  // seed clients get the new list, through rooms_changed.
  void announce_room_change(Event event, const std::string& room, SessionId except);
  void rooms_changed();
  void send_rooms_list_if_due(std::int64_t now);
  SharedText rooms_frame();

  Transport& transport_;
  Engine& engine_;
  Clock& clock_;
  RandomSource& random_;
  ServiceOptions options_;
  NameRegistry names_;
  RemoteMembers remote_members_;  // a cluster's other nodes' members, by room
  RoomRegistry rooms_;
  ResumeTokens tokens_;
  AddressBuckets token_issues_;  // new resume tokens
  std::int64_t next_token_sweep_ms_ = 0;
  std::unordered_map<SessionId, Session> sessions_;
  // v2 sessions by their token id: one for a guest's token, any number for an account's (tabs).
  std::unordered_map<std::string, std::vector<SessionId>> sessions_by_token_;
  std::unordered_map<RoomId, RoomFeed> feeds_;   // each room's lines in order, by RoomId
  std::vector<std::string> room_creator_;        // by RoomId: the name that may delete it
  std::size_t rooms_being_created_ = 0;          // their names are held in rooms_ meanwhile
  std::unordered_set<RoomId> rooms_being_deleted_;
  std::unordered_map<std::string, SessionId> room_changes_;  // this node's, in flight: who asked
  AddressBuckets room_creations_;
  AddressBuckets account_creations_;
  bool rooms_list_owed_ = false;                 // to seed clients, once the interval has passed
  std::int64_t next_rooms_list_ms_ = 0;
  std::uint64_t next_sync_ = 1;
  ServiceMetrics metrics_;
  SharedText rooms_frame_;  // encoded once per change of the room list, sent on every connect
  PasswordHasher& passwords_;
  AccountNames accounts_;
  NameIndex<SessionId> registering_;      // names whose registration is in flight, by who asked
  LoginAttemptLimiter attempts_;
  std::multimap<std::int64_t, std::function<void()>> held_attempts_;  // at most one per session
  std::map<std::pair<AccountId, RoomId>, int> account_presence_;      // sessions of each account in a room
  PrivateRooms private_rooms_;  // every private room's and conversation's members, by room name
  // The account sessions of this node that have had their logged_in or resumed, by account: where
  // an account's direct lines and member changes go.
  std::unordered_map<AccountId, std::vector<SessionId>> account_sessions_;
  // This node's invitations and removals in flight, (room, account, who asked) -> member_added or
  // member_removed: the asker gets the reply, not the inbox's notice, and invitations in flight
  // count against the room's cap.
  std::map<std::tuple<std::string, AccountId, SessionId>, Event> member_changes_;
  // Read markers of the accounts with a ready session here, and who follows which room.
  ReadMarkers markers_;
  // This node's mark_reads in flight (stored room name, account, who asked): the asker gets the
  // reply, not the inbox's notice.
  std::set<std::tuple<std::string, AccountId, SessionId>> marks_in_flight_;
  AddressBuckets conversation_openings_;  // new conversations, keyed by account id
  // Conversations whose room this node is creating: what waits for it (their first lines).
  std::unordered_map<std::string, std::vector<std::function<void(RoomOutcome)>>> conversations_opening_;
  std::shared_ptr<std::string> dummy_hash_ = std::make_shared<std::string>();  // set once made
  bool dummy_hash_asked_ = false;
};

// Defined here: every part of the core (chat_service_*.cpp) wraps its engine completions with it.
template <class Completion>
auto ChatService::in_order(SessionId session, RequestOrder::Work work, Completion completion) {
  find(session)->order.started(work);
  return [this, session, work, completion = std::move(completion)](auto... results) mutable {
    completion(std::move(results)...);
    finished(session, work);
  };
}

}  // namespace chat
