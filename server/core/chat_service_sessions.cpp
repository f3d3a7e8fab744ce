// The chat core's account sessions (docs/ACCOUNTS.md, Sessions are resume tokens): logout,
// change_password, sessions, end_session; which connections use which token, and how an
// account's connections count as one person in presence.
//
// A session ended here (logout in another tab, end_session, change_password, a token deleted by
// another node, the 11th device) closes its connections with 4001: "sign in again". 4000 stays
// "resumed elsewhere", which account tokens never cause.
#include "server/core/chat_service.hpp"

#include <algorithm>

#include "server/names/name_keys.hpp"
#include "shared/codec.hpp"

namespace chat {
namespace {
constexpr int kCloseSessionEnded = 4001;
const Error kGuest{ErrorCode::not_allowed, "guests have no account"};
}  // namespace

void ChatService::handle(const Request& request, const Logout&) {
  const SessionId id = request.session;
  Session& session = *find(id);
  announce(*rooms_.room_of(id), id, false);
  if (session.account == 0 && engine_.cluster()) {
    engine_.release_name(name_keys(*names_.name_of(id)), id, session.token_id);
  }
  names_.release(id);
  rooms_.remove(id);  // as a new connection: in general, hearing no presence
  rooms_.place(id, RoomRegistry::kGeneral);
  const std::string token = std::exchange(session.token_id, {});
  session.token_text.clear();
  forget_account_session(id, session);
  session.account = 0;
  if (token.empty()) return reply(request, notice(Event::logged_out, "Logged out.", "", ""));
  remove_token_session(token, id);
  tokens_.forget(token);
  end_token_sessions(token);  // the account's other tabs that shared it
  engine_.delete_tokens({token}, in_order(id, RequestOrder::Work::other, [this, id, request_id = request.request_id](bool) {
    // Not deleted from the store: nobody holds it in memory any more, and it expires unused.
    if (find(id)) reply(Request{id, request_id}, notice(Event::logged_out, "Logged out.", "", ""));
  }));
}

void ChatService::handle(const Request& request, const ChangePassword& change) {
  const Session& session = *find(request.session);
  const auto* account = accounts_.find(session.account);
  if (session.account == 0 || !account) return refuse(request, kGuest);
  const PasswordProblem problem = password_problem(change.new_password, account->name, options_.passwords);
  if (problem != PasswordProblem::none) {
    return refuse(request, Error{ErrorCode::invalid_password, describe(problem, options_.passwords)});
  }
  // OLD is a try like a login's: counted and spaced by the limiter.
  limit_attempt(request, PasswordAttempt{account->name, change.password, session.account, account->identity_key,
                                         session.address, change.new_password});
}

void ChatService::store_new_password(const Request& request, const PasswordAttempt& attempt) {
  if (hasher_full(request)) return;
  const SessionId id = request.session;
  const bool accepted = passwords_.hash(attempt.new_password, in_order(id, RequestOrder::Work::other,
      [this, id, request_id = request.request_id, account = attempt.account, name = attempt.user](PasswordHash hash) {
        Session* session = find(id);
        if (!session) return;
        if (!hash.ok) return refuse(Request{id, request_id}, Error{ErrorCode::server_busy, "password not changed; try again"});
        const std::string keep = session->token_id;
        engine_.set_password(account, hash.hash, clock_.now_ms(), keep, in_order(id, RequestOrder::Work::other,
            [this, id, request_id, account, name, keep](bool ok) {
              if (!ok) {
                if (find(id)) refuse(Request{id, request_id}, Error{ErrorCode::store_unavailable, "password not changed"});
                return;
              }
              // The store deleted the other tokens with the new hash; here they go too, and their connections.
              for (const std::string& token : tokens_.ids_of(name)) {
                const StoredToken* stored = tokens_.find(token);
                if (token == keep || !stored || stored->account != account) continue;
                tokens_.forget(token);
                end_token_sessions(token);
              }
              if (find(id)) reply(Request{id, request_id}, notice(Event::password_changed, "Password changed.", "", ""));
            }));
      }));
  if (!accepted) {
    find(id)->order.finished(RequestOrder::Work::other);
    refuse(request, Error{ErrorCode::server_busy, "too many sign-ins at once; try again"});
  }
}

void ChatService::handle(const Request& request, const ListSessions&) {
  const Session& session = *find(request.session);
  if (session.account == 0) return refuse(request, kGuest);
  SessionsFrame frame{{}, request.request_id};
  for (const std::string& id : tokens_.ids_of(*names_.name_of(request.session))) {
    const StoredToken* token = tokens_.find(id);
    if (!token || token->account != session.account) continue;
    frame.sessions.push_back(SessionInfo{id, token->created_ms, token->last_used_ms, id == session.token_id});
  }
  std::sort(frame.sessions.begin(), frame.sessions.end(), [](const SessionInfo& a, const SessionInfo& b) {
    return a.last_used_ms != b.last_used_ms ? a.last_used_ms > b.last_used_ms : a.current > b.current;
  });
  send_frame(request.session, frame);
}

void ChatService::handle(const Request& request, const EndSession& end) {
  const SessionId id = request.session;
  const Session& session = *find(id);
  if (session.account == 0) return refuse(request, kGuest);
  const StoredToken* token = tokens_.find(end.session);
  if (!token || token->account != session.account) return refuse(request, Error{ErrorCode::bad_token, ""});
  const std::string ended = end.session;
  tokens_.forget(ended);
  end_token_sessions(ended, id);
  engine_.delete_tokens({ended}, in_order(id, RequestOrder::Work::other, [this, id, request_id = request.request_id, ended](bool) {
    Session* state = find(id);
    if (!state) return;
    MessageFrame ack = notice(Event::session_ended, "Session ended.", "", "");
    ack.session = ended;
    reply(Request{id, request_id}, std::move(ack));
    if (state->token_id == ended) end_token_sessions(ended);  // its own: answered, then closed
  }));
}

void ChatService::end_token_sessions(const std::string& token_id, SessionId keep) {
  const auto it = sessions_by_token_.find(token_id);
  if (it == sessions_by_token_.end()) return;
  for (const SessionId session : std::vector<SessionId>(it->second)) {
    const Session* state = find(session);
    // A guest's connection keeps its name until it drops (its token only brought it back).
    if (session == keep || !state || state->account == 0) continue;
    transport_.close(session, kCloseSessionEnded, "session ended: sign in again");
    disconnect(session);
  }
}

void ChatService::add_token_session(const std::string& token_id, SessionId session) {
  auto& sessions = sessions_by_token_[token_id];
  if (std::find(sessions.begin(), sessions.end(), session) == sessions.end()) sessions.push_back(session);
}

void ChatService::remove_token_session(const std::string& token_id, SessionId session) {
  const auto it = sessions_by_token_.find(token_id);
  if (it == sessions_by_token_.end()) return;
  auto& sessions = it->second;
  sessions.erase(std::remove(sessions.begin(), sessions.end(), session), sessions.end());
  if (sessions.empty()) sessions_by_token_.erase(it);
}

// Presence lists a person, not a connection: an account on two devices in one room is one member,
// announced when the first arrives and when the last leaves.
bool ChatService::account_here_in(RoomId room, std::optional<AccountId> holder) const {
  return holder && *holder != 0 && account_presence_.count({*holder, room}) > 0;
}

bool ChatService::person_changes(RoomId room, SessionId about, bool joined) {
  const Session* state = find(about);
  if (!state || state->account == 0) return true;
  const auto key = std::make_pair(state->account, room);
  if (joined) return ++account_presence_[key] == 1;
  const auto it = account_presence_.find(key);
  if (it == account_presence_.end()) return false;
  if (--it->second > 0) return false;
  account_presence_.erase(it);
  return true;
}

}  // namespace chat
