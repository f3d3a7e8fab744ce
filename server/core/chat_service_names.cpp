// The chat core's names: login (a cluster also claims the name on every node), resume tokens,
// resume, and presence (this node's members and the other nodes').
#include "server/core/chat_service.hpp"

#include <string_view>
#include <unordered_set>

#include "server/names/name_keys.hpp"
#include "server/names/name_rules.hpp"
#include "shared/codec.hpp"

namespace chat {
namespace {
constexpr int kCloseReplaced = 4000;  // application close code: the session resumed elsewhere
}  // namespace

void ChatService::token_saved(const StoredToken& token) {
  tokens_.restore(token);
  delete_revoked_tokens();  // over a cap here too: the same ones go on every node
}

// Another node deleted it (a logout, an ended session, a password change there): an account's
// connections using it here end too. A guest token's connection keeps its name until it drops.
void ChatService::token_deleted(const std::string& id) {
  tokens_.forget(id);
  end_token_sessions(id);
}

void ChatService::delete_revoked_tokens() {
  auto revoked = tokens_.take_revoked();
  for (const auto& id : revoked) end_token_sessions(id);  // an account's 11th device, or expiry
  if (!revoked.empty()) engine_.delete_tokens(revoked, [](bool) {});  // if it fails, the next load drops them
}

// Each address gets new_tokens_per_address_hour new tokens an hour (an AddressBuckets); a v2
// login that would need one more is refused, like any rate limit, with when to retry. Sessions
// that already hold a token (a rename, a resumed session) need no new one.
bool ChatService::may_issue_token(const Request& request, const Session& session) {
  if (!session.token_id.empty()) return true;
  const std::int64_t wait = token_issues_.wait_ms(session.address, clock_.now_ms());
  if (wait == 0) return true;
  refuse_rate_limited(request, wait, "too many new resume tokens for your address; ");
  return false;
}

void ChatService::handle(const Request& request, const Login& login) {
  if (auto error = check_name(login.user, options_.limits)) return refuse(request, *error);
  Session& session = *find(request.session);
  if (session.account != 0) return refuse(request, Error{ErrorCode::not_allowed, "signed in to an account: log out first"});
  const NameKeys keys = name_keys(login.user);
  if (refused_as_registered(request, login.user, keys)) return;
  if (std::max(login.version, session.version) >= kCurrentVersion && !may_issue_token(request, session)) return;
  if (tokens_.reserved_for_other(keys, session.token_id, clock_.now_ms())) {
    return refuse(request, Error{ErrorCode::name_taken, login.user + " (kept for its owner to come back)"});
  }
  if (names_.held_by_other(request.session, keys)) return refuse(request, Error{ErrorCode::name_taken, login.user});
  const std::string* current = names_.name_of(request.session);
  if (!engine_.cluster() || (current && name_keys(*current) == keys)) return take_name(request, login, keys);
  // A cluster: the name must also be free on every other node.
  const SessionId id = request.session;
  session.claiming = current == nullptr && std::max(login.version, session.version) >= kCurrentVersion;
  engine_.claim_name(keys, id, session.token_id, in_order(id, RequestOrder::Work::other,
                     [this, id, login, keys, token_id = session.token_id, request_id = request.request_id](ClaimOutcome outcome) {
    Session* state = find(id);
    if (!state) {
      if (outcome == ClaimOutcome::claimed) engine_.release_name(keys, id, token_id);
      return;
    }
    state->claiming = false;
    const Request later{id, request_id};
    if (outcome == ClaimOutcome::taken) return refuse(later, Error{ErrorCode::name_taken, login.user});
    if (outcome == ClaimOutcome::failed) return refuse(later, Error{ErrorCode::store_unavailable, "name not claimed"});
    take_name(later, login, keys);
  }));
}

// The name is free (in the cluster too): the session takes it, leaving its previous one.
void ChatService::take_name(const Request& request, const Login& login, const NameKeys& keys) {
  Session& session = *find(request.session);
  const std::string* current = names_.name_of(request.session);
  const bool arriving = current == nullptr;
  const std::string previous = arriving ? std::string() : *current;
  if (!names_.claim(request.session, login.user, keys)) {  // taken here while the cluster answered
    if (engine_.cluster()) engine_.release_name(keys, request.session, session.token_id);
    return refuse(request, Error{ErrorCode::name_taken, login.user});
  }
  tokens_.unreserve(keys);
  remote_members_.forget_user(login.user);
  const RoomId room = *rooms_.room_of(request.session);
  const bool renamed = !arriving && previous != login.user;
  if (renamed) announce_as(room, request.session, previous, false);
  if (renamed && engine_.cluster() && !(name_keys(previous) == keys)) {
    engine_.release_name(name_keys(previous), request.session, session.token_id);
  }
  if (arriving || renamed) announce(room, request.session, true);
  ++metrics_.logins;
  if (login.version > session.version) metrics_.session_version(session.version, login.version);
  if (login.version > session.version) session.version = login.version;
  if (session.version < kCurrentVersion) {
    return reply(request, notice(Event::logged_in, "Welcome, " + login.user + "!", login.user, ""));
  }
  if (!arriving) return finish_login(request, login.user, Event::logged_in, [] {});
  hold_live_lines(session);
  const SessionId id = request.session;
  finish_login(request, login.user, Event::logged_in, [this, id, room] { catch_up(id, room, 0); });
}

// v2: the token is stored before the client is told it, so a token a client holds always survives
// a restart.
void ChatService::finish_login(const Request& request, const std::string& name, Event event,
                               std::function<void()> then) {
  Session& session = *find(request.session);
  const std::int64_t now = clock_.now_ms();
  StoredToken token;
  if (const StoredToken* existing = tokens_.renew(session.token_id, name, now)) {
    token = *existing;
  } else {
    auto issued = tokens_.issue(name, random_, now, session.account);
    token = std::move(issued.record);
    session.token_id = token.id;
    add_token_session(token.id, request.session);
    session.token_text = std::move(issued.text);
    token_issues_.take(session.address, now);
    // In a cluster the name's claim now follows the token, so the token can resume on any node.
    // An account's name is not claimed: the account owns it on every node.
    if (engine_.cluster() && session.account == 0) {
      engine_.name_now_held_by_token(name_keys(name), request.session, token.id);
    }
  }
  delete_revoked_tokens();
  MessageFrame ack = notice(event, "Welcome, " + name + "!", name, "");
  if (event == Event::resumed) ack.room = rooms_.name(*rooms_.room_of(request.session));
  ack.token = session.token_text;
  ack.account = session.account != 0;
  ack.version = kCurrentVersion;
  ack.request_id = request.request_id;
  const SessionId id = request.session;
  engine_.save_token(token, in_order(id, RequestOrder::Work::other, [this, id, ack = std::move(ack), then = std::move(then)](bool ok) {
    if (!find(id)) return;
    send_frame(id, ack);
    account_session_ready(id);  // its own rooms list, if it has private rooms or conversations
    // Presence from now on, after the answer: a client hears of others once it knows it is in
    // (the members list that follows is the state the presence events change).
    rooms_.listen(id);
    if (!ok) {
      metrics_.refused(ErrorCode::store_unavailable);
      MessageFrame warning = refusal(Error{ErrorCode::store_unavailable, "resume token not saved"});
      warning.request_id = ack.request_id;
      send_frame(id, warning);
    }
    then();
  }));
}

void ChatService::handle(const Request& request, const Resume& resume) {
  const StoredToken* token = tokens_.verify(resume.token, clock_.now_ms());
  if (!token) {
    delete_revoked_tokens();  // it may have just expired
    return refuse(request, Error{ErrorCode::bad_token, ""});
  }
  if (token->account != 0) return resume_account(request, resume, *token);
  const std::string name = token->user;
  const std::string token_id = token->id;
  if (find(request.session)->account != 0) {
    return refuse(request, Error{ErrorCode::not_allowed, "signed in to an account: log out first"});
  }
  const NameKeys keys = name_keys(name);
  if (accounts_.owner(keys)) {  // registered since: its guest tokens are void
    tokens_.revoke(token_id);
    delete_revoked_tokens();
  }
  if (refused_as_registered(request, name, keys)) return;
  if (tokens_.reserved_for_other(keys, token_id, clock_.now_ms())) {
    return refuse(request, Error{ErrorCode::name_taken, name});
  }
  if (!engine_.cluster()) return resume_as(request, resume, name, token_id);
  // A cluster: the name's claim is the token's (reserved for it after a drop on any node).
  const SessionId id = request.session;
  find(id)->claiming = true;
  engine_.claim_name(keys, id, token_id, in_order(id, RequestOrder::Work::other,
                     [this, id, resume, name, token_id, request_id = request.request_id](ClaimOutcome outcome) {
    Session* state = find(id);
    if (!state) return;  // the claim stays the token's, reserved: nothing to release
    state->claiming = false;
    const Request later{id, request_id};
    if (outcome == ClaimOutcome::taken) return refuse(later, Error{ErrorCode::name_taken, name});
    if (outcome == ClaimOutcome::failed) return refuse(later, Error{ErrorCode::store_unavailable, "name not claimed"});
    resume_as(later, resume, name, token_id);
  }));
}

void ChatService::resume_as(const Request& request, const Resume& resume, const std::string& name,
                            const std::string& token_id) {
  const auto holder = sessions_by_token_.find(token_id);
  const StoredToken* resumed = tokens_.find(token_id);
  // An account's token may serve several connections at once (tabs sharing it): none is replaced.
  if (holder != sessions_by_token_.end() && resumed && resumed->account == 0) {
    // The same client on a connection the server has not yet seen die: the newest one wins.
    for (const SessionId other : std::vector<SessionId>(holder->second)) {
      if (other == request.session) continue;
      transport_.close(other, kCloseReplaced, "resumed on another connection");
      disconnect(other);
    }
  }
  const StoredToken* token = tokens_.find(token_id);
  const AccountId account = token ? token->account : 0;
  const NameKeys keys = name_keys(name);
  if (!names_.claim(request.session, name, keys, account)) return refuse(request, Error{ErrorCode::name_taken, name});
  if (account == 0) tokens_.unreserve(keys);
  if (account == 0) remote_members_.forget_user(name);  // a guest back here from another node
  Session& session = *find(request.session);
  session.account = account;
  metrics_.session_version(session.version, kCurrentVersion);
  session.version = kCurrentVersion;
  session.token_id = token_id;
  session.token_text = resume.token;
  add_token_session(token_id, request.session);
  // The client's after_id counts in its room; if that room is gone (or is private and the account
  // no member of it) it means nothing in general.
  const auto wanted = visible_room(resume.room, account);
  const RoomId room = wanted.value_or(RoomRegistry::kGeneral);
  // Beyond the room's last line: the client saw a room of that name that was deleted since.
  const std::int64_t after_id = wanted && resume.after_id <= feeds_.at(*wanted).last_id() ? resume.after_id : 0;
  rooms_.place(request.session, room);
  announce(room, request.session, true);
  hold_live_lines(session);
  const SessionId id = request.session;
  finish_login(request, name, Event::resumed, [this, id, room, after_id] { catch_up(id, room, after_id); });
}

void ChatService::announce(RoomId room, SessionId about, bool joined) {
  if (const std::string* name = names_.name_of(about)) announce_as(room, about, *name, joined);
}

// A person is in a room while any session of theirs is, on this node or another: the room hears
// of their first session arriving and of their last leaving, wherever those are.
void ChatService::announce_as(RoomId room, SessionId about, const std::string& name, bool joined) {
  if (!person_changes(room, about, joined)) return;  // another session of the account is still there
  if (engine_.cluster()) engine_.announce_presence(rooms_.name(room), name, joined);
  if (remote_members_.present(rooms_.name(room), name)) return;  // and on another node
  // The session's holding now says whether `name` is an account's: only guests rename, and a
  // failed account claim leaves the session a guest.
  tell_listeners(room, about, PresenceFrame{rooms_.name(room), name, joined, names_.account_of(about) != 0});
}

// A guest in the room became an account under the same name: no one arrived, but "Message" can
// now reach them.
void ChatService::tell_now_an_account(RoomId room, SessionId except, const std::string& name) {
  tell_listeners(room, except, PresenceFrame{rooms_.name(room), name, true, true});
}

void ChatService::tell_listeners(RoomId room, SessionId except, const PresenceFrame& presence) {
  SharedText frame;
  for (const SessionId listener : rooms_.listeners(room)) {
    if (listener == except) continue;
    if (!frame) frame = share(encode(ServerFrame{presence}));
    transport_.send(listener, frame);
  }
}

// A guest's name held here cannot be another node's member (a guest's name has one holder in the
// cluster): such an entry is stale (a node that stopped before its goodbye reached Redis) and is
// ignored. An account's can: its sessions here and there are one person, told of once.
void ChatService::member_joined(const std::string& room, const std::string& user, const std::string& node) {
  const auto account = names_.holding_account(name_keys(user));
  if (account && *account == 0) return;
  const auto id = rooms_.find(room);
  if (!id || !remote_members_.joined(room, user, node)) return;  // already there on another node
  if (!account_here_in(*id, account)) tell_listeners(*id, 0, PresenceFrame{room, user, true, is_account(user)});
}

void ChatService::member_left(const std::string& room, const std::string& user, const std::string& node) {
  const auto id = rooms_.find(room);
  if (!id || !remote_members_.left(room, user, node)) return;  // still there on another node
  const auto account = names_.holding_account(name_keys(user));
  if (!account_here_in(*id, account)) tell_listeners(*id, 0, PresenceFrame{room, user, false, is_account(user)});
}

// This node's members, then the other nodes' (a cluster), and which of them are accounts. A name
// an account has is not a guest's: a guest login under it and registering a name in use are both
// refused, cluster-wide (but for a moment in a race between two nodes, docs/PROTOCOL.md).
MembersFrame ChatService::members_of(RoomId room) const {
  MembersFrame frame{rooms_.name(room), {}, {}};
  // An account's sessions, here and on other nodes, are one person: listed once.
  std::unordered_set<std::string_view> listed;
  for (const SessionId member : rooms_.members(room)) {
    const std::string* name = names_.name_of(member);
    if (!name || !listed.insert(*name).second) continue;
    frame.users.push_back(*name);
    if (names_.account_of(member) != 0) frame.accounts.push_back(*name);
  }
  if (const auto* remote = remote_members_.in(rooms_.name(room))) {
    for (const auto& [user, nodes] : *remote) {
      if (listed.count(user)) continue;
      frame.users.push_back(user);
      if (is_account(user)) frame.accounts.push_back(user);
    }
  }
  return frame;
}

}  // namespace chat
