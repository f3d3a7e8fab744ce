// The chat core's accounts (docs/ACCOUNTS.md): register, password login, and what both end in (the
// connection becomes one of the account's sessions). The sessions' own actions (logout,
// change_password, sessions, end_session) are in chat_service_sessions.cpp.
//
// A password is checked by the PasswordHasher, off the loop; every step that waits for it or for
// the engine is wrapped with in_order, so the connection's later requests wait behind it. Every
// try passes the LoginAttemptLimiter first: refused (rate_limited), run at once, or held until its
// slot (on_tick runs it), the connection's later requests waiting behind it all the same.
#include "server/core/chat_service.hpp"

#include "server/log.hpp"
#include "server/names/name_keys.hpp"
#include "server/names/name_rules.hpp"
#include "shared/codec.hpp"

namespace chat {
namespace {
const Error kSignedIn{ErrorCode::not_allowed, "signed in to an account: log out first"};
// One sentence for an unknown name and a wrong password: which one it was is not told.
const Error kBadPassword{ErrorCode::bad_password, "wrong name or password"};
}  // namespace

void ChatService::account_created(const StoredAccount& account) {
  if (!accounts_.add(account)) return;
  revoke_guest_tokens(account.name);
  // A guest who registered their own name on another node is still in their rooms, now an account.
  for (const auto& room : remote_members_.rooms_of(account.name)) {
    if (const auto id = rooms_.find(room)) tell_now_an_account(*id, 0, account.name);
  }
}

// ---- register ------------------------------------------------------------------------------

void ChatService::handle(const Request& request, const Register& registration) {
  Session& session = *find(request.session);
  if (session.account != 0) return refuse(request, kSignedIn);
  if (auto error = check_name(registration.user, options_.limits)) return refuse(request, *error);
  const PasswordProblem problem = password_problem(registration.password, registration.user, options_.passwords);
  if (problem != PasswordProblem::none) {
    return refuse(request, Error{ErrorCode::invalid_password, describe(problem, options_.passwords)});
  }
  if (!free_to_register(request, registration.user)) return;
  if (!may_create_account(request) || !may_issue_account_token(request, session) || hasher_full(request)) return;
  const SessionId id = request.session;
  account_creations_.take(session.address, clock_.now_ms());
  registering_.add(name_keys(registration.user), id);  // guests are refused the name meanwhile
  const bool accepted = passwords_.hash(registration.password, in_order(id, RequestOrder::Work::other,
      [this, id, request_id = request.request_id, registration](PasswordHash hash) {
        registration_hashed(Request{id, request_id}, registration, std::move(hash));
      }));
  if (!accepted) {  // hasher_full said there was room: only a hasher that changed its mind gets here
    registering_.remove(name_keys(registration.user), id);
    find(id)->order.finished(RequestOrder::Work::other);
    refuse(request, Error{ErrorCode::server_busy, "too many sign-ins at once; try again"});
  }
}

bool ChatService::free_to_register(const Request& request, const std::string& name) {
  const NameKeys keys = name_keys(name);
  if (refused_as_registered(request, name, keys)) return false;
  const Session& session = *find(request.session);
  if (names_.held_by_other(request.session, keys)) {
    refuse(request, Error{ErrorCode::name_taken, name});
    return false;
  }
  if (tokens_.reserved_for_other(keys, session.token_id, clock_.now_ms())) {
    refuse(request, Error{ErrorCode::name_taken, name + " (kept for its owner to come back)"});
    return false;
  }
  return true;
}

void ChatService::registration_hashed(const Request& request, const Register& registration, PasswordHash hash) {
  const NameKeys keys = name_keys(registration.user);
  const SessionId id = request.session;
  if (!find(id) || !hash.ok) {
    registering_.remove(keys, id);
    if (find(id)) refuse(request, Error{ErrorCode::server_busy, "the password could not be hashed; try again"});
    return;
  }
  const std::int64_t now = clock_.now_ms();
  StoredAccount account{0, registration.user, keys.identity, keys.lookalike, std::move(hash.hash), now, now};
  engine_.create_account(account, id, in_order(id, RequestOrder::Work::other,
      [this, id, request_id = request.request_id, account, keys](AccountOutcome outcome, AccountId created) mutable {
        registering_.remove(keys, id);
        if (outcome == AccountOutcome::done) {
          account.id = created;
          account.password_hash.clear();  // never kept in memory
          accounts_.add(account);
          revoke_guest_tokens(account.name);
        }
        if (!find(id)) return;
        const Request later{id, request_id};
        if (outcome == AccountOutcome::failed) return refuse(later, Error{ErrorCode::store_unavailable, "account not created"});
        if (outcome == AccountOutcome::conflict) {  // another node's account or claim got there first
          MessageFrame refused = refusal(Error{ErrorCode::name_taken, account.name});
          refused.registered = true;
          metrics_.refused(ErrorCode::name_taken);
          return reply(later, std::move(refused));
        }
        become_account(later, created, account.name);
      }));
}

// The name's guest tokens (its exact spelling: other spellings are refused when they resume), so
// that a guest on another device cannot come back as the owner. The registrant's own goes too.
void ChatService::revoke_guest_tokens(const std::string& name) {
  for (const std::string& id : tokens_.ids_of(name)) {
    const StoredToken* token = tokens_.find(id);
    if (token && token->account == 0) tokens_.revoke(id);
  }
  delete_revoked_tokens();
}

// ---- login with a password --------------------------------------------------------------------

void ChatService::handle(const Request& request, const PasswordLogin& login) {
  Session& session = *find(request.session);
  if (session.account != 0) return refuse(request, kSignedIn);
  if (auto error = check_name(login.user, options_.limits)) return refuse(request, *error);
  if (!may_issue_account_token(request, session)) return;
  const NameKeys keys = name_keys(login.user);
  PasswordAttempt attempt{login.user, login.password, 0, keys.identity, session.address, ""};
  if (const auto account = accounts_.by_identity(keys)) {
    attempt.account = *account;
    attempt.limiter_key = accounts_.find(*account)->identity_key;  // every spelling counts as one
  }
  limit_attempt(request, std::move(attempt));
}

void ChatService::limit_attempt(const Request& request, PasswordAttempt attempt) {
  const LoginAttemptDecision decision = attempts_.begin(attempt.limiter_key, attempt.address);
  if (decision.refused) return refuse_rate_limited(request, decision.wait_ms, "too many password attempts; ");
  if (decision.wait_ms == 0) return read_and_verify(request, std::move(attempt));
  const SessionId id = request.session;
  auto run = in_order(id, RequestOrder::Work::other,
                      [this, id, request_id = request.request_id, attempt = std::move(attempt)](bool) mutable {
                        if (!find(id)) return attempts_.abandoned(attempt.limiter_key, attempt.address);
                        read_and_verify(Request{id, request_id}, std::move(attempt));
                      });
  held_attempts_.emplace(clock_.now_ms() + decision.wait_ms, [run = std::move(run)]() mutable { run(true); });
}

void ChatService::run_held_attempts(std::int64_t now) {
  while (!held_attempts_.empty() && held_attempts_.begin()->first <= now) {
    auto run = std::move(held_attempts_.begin()->second);
    held_attempts_.erase(held_attempts_.begin());
    run();
  }
}

// The hash is read through the engine at every try, so a password changed on another node is never
// checked against a stale hash. No such account: the dummy hash, so the answer and its time are a
// wrong password's. A cluster node may not have heard yet of an account registered on another node
// a moment ago: there, a name no account has here is looked up through the engine first (by its
// identity key, which is what the limiter counts such a name's tries by).
void ChatService::read_and_verify(const Request& request, PasswordAttempt attempt) {
  const bool look_up = attempt.account == 0 && engine_.cluster();
  if (attempt.account == 0 && !look_up) return verify_password(request, std::move(attempt), *dummy_hash_);
  const SessionId id = request.session;
  const AccountId account = attempt.account;
  const std::string identity_key = attempt.limiter_key;
  auto done = in_order(id, RequestOrder::Work::other,
      [this, id, request_id = request.request_id, attempt = std::move(attempt)](bool ok, std::optional<StoredAccount> stored) mutable {
        if (!find(id) || !ok) {
          attempts_.abandoned(attempt.limiter_key, attempt.address);
          if (find(id)) refuse(Request{id, request_id}, Error{ErrorCode::store_unavailable, "account not read"});
          return;
        }
        attempt.account = stored ? stored->id : 0;  // none, or gone since: as unknown
        verify_password(Request{id, request_id}, std::move(attempt), stored ? stored->password_hash : *dummy_hash_);
      });
  if (look_up) return engine_.find_account(identity_key, std::move(done));
  engine_.read_account(account, std::move(done));
}

void ChatService::verify_password(const Request& request, PasswordAttempt attempt, const std::string& stored_hash) {
  if (attempt.password.size() > options_.passwords.max_bytes) {  // no password this long was ever accepted
    return password_verified(request, std::move(attempt), PasswordCheck{PasswordVerdict::mismatch, false});
  }
  if (hasher_full(request)) return attempts_.abandoned(attempt.limiter_key, attempt.address);
  const SessionId id = request.session;
  const std::string password = attempt.password;
  auto done = in_order(id, RequestOrder::Work::other,
                       [this, id, request_id = request.request_id, attempt](PasswordCheck check) mutable {
                         if (find(id)) password_verified(Request{id, request_id}, std::move(attempt), check);
                       });
  // No dummy hash yet (the first try of a name without an account): hashing the try costs the
  // same as checking, and the dummy is made beside it for the next ones. Not at start-up: a hash
  // holds 64 MiB for a moment, which every start (and every benchmark's baseline) would pay.
  if (stored_hash.empty()) make_dummy_hash();
  const bool accepted = stored_hash.empty()
      ? passwords_.hash(password, [done](PasswordHash) mutable { done(PasswordCheck{PasswordVerdict::mismatch, false}); })
      : passwords_.verify(stored_hash, password, done);
  if (!accepted) {
    find(id)->order.finished(RequestOrder::Work::other);
    attempts_.abandoned(attempt.limiter_key, attempt.address);
    refuse(request, Error{ErrorCode::server_busy, "too many sign-ins at once; try again"});
  }
}

void ChatService::password_verified(const Request& request, PasswordAttempt attempt, PasswordCheck check) {
  if (check.verdict == PasswordVerdict::failed && attempt.account != 0) {
    log_line(LogLevel::warn, "account %lld: its stored password hash could not be checked",
             static_cast<long long>(attempt.account));
  }
  if (attempt.account == 0 || check.verdict != PasswordVerdict::match) return refuse(request, kBadPassword);
  attempts_.succeeded(attempt.limiter_key, attempt.address);
  if (!attempt.new_password.empty()) return store_new_password(request, attempt);  // change_password
  become_account(request, attempt.account, accounts_.find(attempt.account)->name);
  if (check.needs_rehash) rehash_if_alone(request.session, attempt);
}

// Set_password ends every other token of the account, so a fresh hash (the limits rose) is stored
// only when this sign-in's token is the account's only one; otherwise the old hash, still valid,
// stays until such a sign-in.
void ChatService::rehash_if_alone(SessionId id, const PasswordAttempt& attempt) {
  if (passwords_.pending() >= passwords_.capacity()) return;
  (void)passwords_.hash(attempt.password, [this, id, account = attempt.account, name = attempt.user](PasswordHash hash) {
    const Session* session = find(id);
    const auto own = accounts_.find(account);
    if (!hash.ok || !session || !own || tokens_.ids_of(own->name) != std::vector<std::string>{session->token_id}) return;
    engine_.set_password(account, hash.hash, clock_.now_ms(), session->token_id, [](bool) {});
  });
}

// ---- what register and login end in ----------------------------------------------------------

void ChatService::become_account(const Request& request, AccountId account, const std::string& name) {
  const SessionId id = request.session;
  Session& session = *find(id);
  const RoomId room = *rooms_.room_of(id);
  const std::string* current = names_.name_of(id);
  const bool arriving = current == nullptr;
  const std::string previous = arriving ? std::string() : *current;
  const bool same_name = !arriving && previous == name;  // a guest registering its own name
  if (!arriving && !same_name) announce(room, id, false);
  if (!arriving && engine_.cluster()) engine_.release_name(name_keys(previous), id, session.token_id);
  if (!session.token_id.empty()) {  // a guest's token: the client holds the account's from now on
    remove_token_session(session.token_id, id);
    tokens_.revoke(session.token_id);
    session.token_id.clear();
    session.token_text.clear();
  }
  names_.release(id);
  if (!names_.claim(id, name, account)) {  // a guest here from before the account (another node's race)
    if (same_name) announce_as(room, id, previous, false);  // it is no longer there as a guest either
    return refuse(request, Error{ErrorCode::name_taken, name + " is in use by a guest here; try again later"});
  }
  session.account = account;
  ++metrics_.logins;
  if (session.version < kCurrentVersion) {
    metrics_.session_version(session.version, kCurrentVersion);
    session.version = kCurrentVersion;
  }
  if (same_name) {
    person_changes(room, id, true);  // the same person, now the account's: counted
    tell_now_an_account(room, id, name);
  } else {
    announce(room, id, true);
  }
  if (!arriving) return finish_login(request, name, Event::logged_in, [] {});
  hold_live_lines(session);
  finish_login(request, name, Event::logged_in, [this, id, room] { catch_up(id, room, 0); });
}

// Resume with an account's token: no 60 s reservation, no takeover, no cluster claim.
void ChatService::resume_account(const Request& request, const Resume& resume, const StoredToken& token) {
  if (names_.name_of(request.session)) return refuse(request, Error{ErrorCode::not_allowed, "already logged in"});
  // Copies: renewing the token replaces its record, which `token` points into.
  const std::string name = token.user;
  const std::string token_id = token.id;
  resume_as(request, resume, name, token_id);
}

bool ChatService::refused_as_registered(const Request& request, const std::string& name, const NameKeys& keys) {
  if (!accounts_.owner(keys) && !registering_.holder_other_than(keys, request.session)) return false;
  MessageFrame refused = refusal(Error{ErrorCode::name_taken, name + " is registered: sign in with its password"});
  refused.registered = true;
  metrics_.refused(ErrorCode::name_taken);
  reply(request, std::move(refused));
  return true;
}

bool ChatService::may_issue_account_token(const Request& request, const Session& session) {
  const std::int64_t wait = token_issues_.wait_ms(session.address, clock_.now_ms());
  if (wait == 0) return true;
  refuse_rate_limited(request, wait, "too many new sessions for your address; ");
  return false;
}

bool ChatService::may_create_account(const Request& request) {
  if (accounts_.size() >= options_.max_accounts) {
    refuse(request, Error{ErrorCode::too_many_accounts, std::to_string(options_.max_accounts) + " accounts"});
    return false;
  }
  const std::int64_t wait = account_creations_.wait_ms(find(request.session)->address, clock_.now_ms());
  if (wait == 0) return true;
  refuse_rate_limited(request, wait, "too many new accounts from your address; ");
  return false;
}

bool ChatService::hasher_full(const Request& request) {
  if (passwords_.pending() < passwords_.capacity()) return false;
  refuse(request, Error{ErrorCode::server_busy, "too many sign-ins at once; try again"});
  return true;
}

// A hash of a random password nobody knows, for the tries of names without an account.
void ChatService::make_dummy_hash() {
  if (dummy_hash_asked_ || passwords_.pending() >= passwords_.capacity()) return;
  unsigned char bytes[16];
  random_.fill(bytes, sizeof bytes);
  std::string secret;
  for (const unsigned char b : bytes) secret += "0123456789abcdef"[b >> 4], secret += "0123456789abcdef"[b & 15];
  dummy_hash_asked_ = passwords_.hash(std::move(secret), [made = dummy_hash_](PasswordHash hash) {
    if (hash.ok) *made = std::move(hash.hash);
  });
}

}  // namespace chat
