// RedisEngine's calls about people: resume tokens, accounts (the scripts are redis_accounts'),
// names and presence. Lines, rooms, loading and the links are in redis_engine.cpp.
#include <string>
#include <vector>

#include "server/engine/redis/redis_cluster_codec.hpp"
#include "server/engine/redis/redis_engine.hpp"
#include "server/log.hpp"
#include "server/names/name_keys.hpp"

namespace chat::redis {

// ---- Tokens ------------------------------------------------------------------------------------

void RedisEngine::save_token(const StoredToken& token, Done done) {
  command({"HSET", keys_.tokens(), token.id, encode_token_record(token)},
          [done = std::move(done)](const RedisReply& reply) { done(!reply.is_error()); });
  command({"PUBLISH", keys_.tokens_channel(), encode_token_saved(token)}, [](const RedisReply&) {});
}

// ---- Accounts (redis_accounts) ------------------------------------------------------------------

void RedisEngine::create_account(const StoredAccount& account, SessionId session, AccountDone done) {
  // The registrant's own claim does not conflict, whether its session or its token holds it.
  std::vector<std::string> own{members_.holder(session, "")};
  if (const auto token = session_tokens_.find(session); token != session_tokens_.end()) {
    own.push_back(members_.holder(session, token->second));
  }
  accounts_.create(account, own, std::move(done));
}

void RedisEngine::read_account(AccountId id, AccountRead done) { accounts_.read(id, std::move(done)); }

void RedisEngine::find_account(const std::string& identity_key, AccountRead done) {
  accounts_.find(identity_key, std::move(done));
}

void RedisEngine::set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                               const std::string& keep_token_id, Done done) {
  accounts_.set_password(id, password_hash, changed_ms, keep_token_id,
                         [this, done = std::move(done)](bool ok, std::vector<std::string> deleted) {
                           // Announced by the script already; here the names they held go free.
                           for (const auto& token : deleted) {
                             forget_token(token);
                             members_.token_deleted(token);
                           }
                           done(ok);
                         });
}

void RedisEngine::delete_tokens(const std::vector<std::string>& ids, Done done) {
  if (ids.empty()) {
    command({"PING"}, [done = std::move(done)](const RedisReply&) { done(true); });
    return;
  }
  std::vector<std::string> argv{"HDEL", keys_.tokens()};
  argv.insert(argv.end(), ids.begin(), ids.end());
  command(std::move(argv), [done = std::move(done)](const RedisReply& reply) { done(!reply.is_error()); });
  for (const auto& id : ids) {
    command({"PUBLISH", keys_.tokens_channel(), encode_token_deleted(id)}, [](const RedisReply&) {});
    members_.token_deleted(id);  // a deleted token brings nobody back: its names are free
    forget_token(id);
  }
}

void RedisEngine::apply_token_event(const std::string& payload) {
  const auto event = decode_token_event(payload);
  if (!event) {
    log_line(LogLevel::warn, "redis: malformed token event skipped");
    return;
  }
  if (const auto* saved = std::get_if<StoredToken>(&*event)) return inbox_->token_saved(*saved);
  inbox_->token_deleted(std::get<TokenDeleted>(*event).id);
}

void RedisEngine::resync_tokens() {
  command({"HGETALL", keys_.tokens()}, [this](const RedisReply& reply) {
    if (reply.is_error()) return;
    for (const auto& [id, record] : pairs_of(reply)) {
      if (auto token = decode_token_record(id, record)) inbox_->token_saved(*token);
    }
  });
}

// ---- Names and presence ------------------------------------------------------------------------

void RedisEngine::claim_name(const NameKeys& name, SessionId session, const std::string& token_id, ClaimDone done) {
  members_.claim(name, members_.holder(session, token_id),
                 [this, session, token_id, done = std::move(done)](ClaimOutcome outcome) {
                   if (outcome == ClaimOutcome::claimed && !token_id.empty()) remember_session_token(session, token_id);
                   done(outcome);
                 });
}

void RedisEngine::name_now_held_by_token(const NameKeys& name, SessionId session, const std::string& token_id) {
  remember_session_token(session, token_id);
  members_.hand_over(name, members_.holder(session, ""), members_.holder(session, token_id));
}

void RedisEngine::release_name(const NameKeys& name, SessionId session, const std::string& token_id) {
  // The session's token is still remembered: a rename releases the old name after claiming the new.
  members_.release(name, members_.holder(session, token_id));
}

void RedisEngine::reserve_name(const NameKeys& name, const std::string& token_id, std::int64_t grace_ms) {
  forget_token(token_id);  // the session is gone
  members_.reserve(name, members_.holder(0, token_id), grace_ms);
}

void RedisEngine::remember_session_token(SessionId session, const std::string& token_id) {
  constexpr std::size_t kMaxRemembered = 1 << 20;  // far above any node's sessions
  forget_session_token(session);
  if (session_tokens_.size() >= kMaxRemembered) return;  // its registration would then conflict: safe
  session_tokens_[session] = token_id;
  token_sessions_[token_id] = session;
}

void RedisEngine::forget_token(const std::string& token_id) {
  if (const auto found = token_sessions_.find(token_id); found != token_sessions_.end()) forget_session_token(found->second);
}

void RedisEngine::forget_session_token(SessionId session) {
  const auto found = session_tokens_.find(session);
  if (found == session_tokens_.end()) return;
  const auto back = token_sessions_.find(found->second);
  if (back != token_sessions_.end() && back->second == session) token_sessions_.erase(back);
  session_tokens_.erase(found);
}

void RedisEngine::announce_presence(const std::string& room, const std::string& user, bool joined) {
  members_.announce(room, user, joined);
}

}  // namespace chat::redis
