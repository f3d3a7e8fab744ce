// The chat core's sessions: connecting, the in-order processing of each connection's requests,
// rate limits, and the helpers every handler uses. The handlers live by subject beside it:
// chat_service_names.cpp (login, resume, tokens, presence), chat_service_rooms.cpp,
// chat_service_lines.cpp (lines, the engine's feed of them, history), chat_service_private_rooms.cpp
// (members of private rooms), chat_service_dms.cpp (direct conversations).
//
// Every handler checks in the same order: logged in, then the shared validation rules, then the
// state (name free, room exists), and only then changes anything, so a refusal has no effect.
#include "server/core/chat_service.hpp"

#include "server/core/stored_names.hpp"
#include "server/log.hpp"
#include "server/names/name_keys.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {
constexpr int kClosePolicyViolation = 1008;
// Expired tokens are looked for at most this often, and at most this many go per look, so a
// sweep is a few microseconds of the loop even when a million tokens expire on the same day.
constexpr std::int64_t kTokenSweepIntervalMs = 1'000;
constexpr std::size_t kTokensPerSweep = 1'000;
}  // namespace

ChatService::ChatService(Ports ports, ServiceOptions options)
    : transport_(ports.transport), engine_(ports.engine), clock_(ports.clock), random_(ports.random),
      options_(options), tokens_(options.name_grace_ms, options.tokens, ports.hasher),
      token_issues_(options.rates.enabled ? static_cast<double>(options.new_tokens_per_address_hour) : 0,
                    static_cast<double>(options.new_tokens_per_address_hour) / 3600, options.max_tracked_addresses),
      room_creator_(1),
      room_creations_(options.rates.enabled ? static_cast<double>(options.new_rooms_per_address_hour) : 0,
                      static_cast<double>(options.new_rooms_per_address_hour) / 3600,
                      options.max_tracked_addresses),
      account_creations_(options.rates.enabled ? static_cast<double>(options.new_accounts_per_address_hour) : 0,
                         static_cast<double>(options.new_accounts_per_address_hour) / 3600,
                         options.max_tracked_addresses),
      passwords_(ports.passwords),
      attempts_(options.login_attempts, ports.clock),
      conversation_openings_(options.rates.enabled ? static_cast<double>(options.new_conversations_per_hour) : 0,
                             static_cast<double>(options.new_conversations_per_hour) / 3600,
                             options.max_tracked_addresses) {
  feeds_.emplace(RoomRegistry::kGeneral, RoomFeed("", 0));
  engine_.set_inbox(*this);
}

void ChatService::restore(const StoredState& stored) {
  const NameMigration migration = migrate_stored_names(stored, options_.limits);
  const std::string summary = migration.summary();
  if (!summary.empty()) log_line(LogLevel::warn, "%s", summary.c_str());
  const StoredState& state = migration.state;
  for (const auto& room : state.rooms) add_room(room);
  for (const auto& token : state.tokens) tokens_.restore(token);
  for (const auto& account : stored.accounts) accounts_.add(account);  // keys as stored: not renamed
  delete_revoked_tokens();  // over the per-name cap (stored before there was one)
}

void ChatService::on_tick() {
  const std::int64_t now = clock_.now_ms();
  send_rooms_list_if_due(now);
  run_held_attempts(now);
  if (now < next_token_sweep_ms_) return;
  next_token_sweep_ms_ = now + kTokenSweepIntervalMs;
  tokens_.sweep(now, kTokensPerSweep);
  delete_revoked_tokens();
}

void ChatService::connect(SessionId session, std::string_view address) {
  sessions_.emplace(session, Session(options_.rates)).first->second.address = std::string(address);
  rooms_.place(session, RoomRegistry::kGeneral);
  ++metrics_.sessions[kSeedVersion];
  transport_.send(session, rooms_frame());
}

void ChatService::receive_text(SessionId session, std::string_view text) {
  Session* state = find(session);
  if (!state) return;
  admit(session, *state, decode_client_request(text, options_.limits), text.size());
}

void ChatService::receive_binary(SessionId session) {
  Session* state = find(session);
  if (!state) return;
  admit(session, *state, ClientRequest{Error{ErrorCode::binary_frame, "send JSON in text frames"}, ""}, 0);
}

// A request starts at once when nothing sent before it is unfinished; otherwise it waits its turn.
void ChatService::admit(SessionId session, Session& state, ClientRequest request, std::size_t bytes) {
  if (state.order.nothing_waiting() && may_start_now(session, state, request)) return start(session, request);
  if (!state.order.wait(std::move(request), bytes)) {
    transport_.close(session, kClosePolicyViolation, "too many requests waiting for earlier ones");
    return disconnect(session);
  }
  if (!state.reading_paused && state.order.should_pause_reading()) {
    state.reading_paused = true;
    transport_.pause_reading(session, true);
  }
}

// Only a line that will certainly be accepted may start beside lines in flight: a refusal or any
// other request would otherwise answer before the lines sent ahead of it.
bool ChatService::may_start_now(SessionId session, Session& state, const ClientRequest& request) {
  if (state.order.nothing_in_flight()) return true;
  if (!state.order.only_lines_in_flight() || !request.frame) return false;
  const auto* line = std::get_if<SendMessage>(&request.frame.value());
  return line != nullptr && accepted_at_once(session, state, *line);
}

bool ChatService::accepted_at_once(SessionId session, Session& state, const SendMessage& line) {
  if (names_.name_of(session) == nullptr || validate_text(line.message, options_.limits)) return false;
  if (!line.dm.empty()) return false;  // may be refused (no such account), or wait for its room
  if (!engine_.available() || engine_.pending() >= options_.max_store_backlog) return false;
  return state.limiter.line_fits(clock_.now_ms(), static_cast<double>(line.message.size()));
}

void ChatService::start(SessionId session, const ClientRequest& decoded) {
  Session* state = find(session);
  if (!state) return;
  const Request request{session, decoded.request_id};
  if (!within_rate_limits(request, *state, decoded.frame ? &decoded.frame.value() : nullptr)) return;
  if (!decoded.frame) return refuse(request, decoded.frame.error());
  const ClientFrame& frame = decoded.frame.value();
  const bool needs_no_login = std::holds_alternative<Login>(frame) || std::holds_alternative<Resume>(frame) ||
                              std::holds_alternative<Register>(frame) || std::holds_alternative<PasswordLogin>(frame);
  if (!needs_no_login && names_.name_of(session) == nullptr) {
    return refuse(request, Error{ErrorCode::not_logged_in, ""});
  }
  std::visit([&](const auto& body) { handle(request, body); }, frame);
}

void ChatService::finished(SessionId session, RequestOrder::Work work) {
  Session* state = find(session);
  if (!state) return;
  state->order.finished(work);
  start_waiting(session);
}

// Starts the waiting requests whose turn has come; each may be refused, close the session, or
// leave store work in flight that the next ones must wait for.
void ChatService::start_waiting(SessionId session) {
  for (Session* state = find(session); state && !state->order.nothing_waiting(); state = find(session)) {
    if (!may_start_now(session, *state, state->order.peek())) break;
    start(session, state->order.next());
  }
  Session* state = find(session);
  if (state && state->reading_paused && !state->order.should_pause_reading()) {
    state->reading_paused = false;
    transport_.pause_reading(session, false);
  }
}

// False (after refusing) when the request is over the session's rate limits (RateLimiter); a
// client that ignores many refusals in a row is closed (1008).
bool ChatService::within_rate_limits(const Request& request, Session& session, const ClientFrame* frame) {
  const std::int64_t now = clock_.now_ms();
  const auto* line = frame ? std::get_if<SendMessage>(frame) : nullptr;
  const RateLimiter::Verdict verdict =
      line ? session.limiter.line(now, static_cast<double>(line->message.size())) : session.limiter.request(now);
  if (verdict.wait_ms == 0) return true;
  if (verdict.flooding) {
    transport_.close(request.session, kClosePolicyViolation, "flooding: too many requests ignored the rate limit");
    disconnect(request.session);
    return false;
  }
  refuse_rate_limited(request, verdict.wait_ms);
  return false;
}

void ChatService::refuse_rate_limited(const Request& request, std::int64_t wait_ms, const std::string& what) {
  MessageFrame refused = refusal(Error{ErrorCode::rate_limited, what + "retry in " + std::to_string(wait_ms) + " ms"});
  refused.retry_after_ms = wait_ms;
  metrics_.refused(ErrorCode::rate_limited);
  reply(request, std::move(refused));
}

void ChatService::disconnect(SessionId session) {
  Session* state = find(session);
  if (!state) return;
  --metrics_.sessions[state->version];
  if (const std::string* name = names_.name_of(session)) {
    const NameKeys keys = name_keys(*name);
    if (state->account != 0) {
      // An account owns its name whether or not it is connected: nothing to reserve or release.
    } else if (!state->token_id.empty()) {
      tokens_.reserve(keys, state->token_id, clock_.now_ms());
      if (engine_.cluster()) engine_.reserve_name(keys, state->token_id, options_.name_grace_ms);
    } else if (engine_.cluster()) {
      engine_.release_name(keys, session, "");
    }
    announce(*rooms_.room_of(session), session, false);
  }
  remove_token_session(state->token_id, session);
  forget_account_session(session, *state);
  names_.release(session);
  rooms_.remove(session);
  sessions_.erase(session);
}

ChatService::Session* ChatService::find(SessionId session) {
  const auto it = sessions_.find(session);
  return it == sessions_.end() ? nullptr : &it->second;
}

void ChatService::reply(const Request& request, MessageFrame frame) {
  frame.request_id = request.request_id;
  send_frame(request.session, frame);
}

void ChatService::refuse(const Request& request, const Error& error) {
  metrics_.refused(error.code);
  reply(request, refusal(error));
}

void ChatService::send_frame(SessionId session, const ServerFrame& frame) {
  transport_.send(session, share(encode(frame)));
}

}  // namespace chat
