// Every handler checks in the same order: logged in, then the shared validation rules, then the
// state (name free, room exists), and only then changes anything, so a refusal has no effect.
//
// Durability and ordering: a chat line gets its id here, then goes to the store; it is delivered
// only when the store reports it committed. Store completions run in request order, so:
// - lines are delivered in the order they were sent;
// - a v2 session that asked for history (join, login, resume) is "syncing": live lines are held
//   back from it until the history read completes. Every line committed before the read ran is in
//   the read's result, every line committed after it is delivered live after it: no gap, no
//   duplicate.
#include "server/core/chat_service.hpp"

#include <algorithm>
#include <functional>

#include "server/core/name_key.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {
constexpr int kCloseReplaced = 4000;  // application close code: the session resumed elsewhere
constexpr int kClosePolicyViolation = 1008;
constexpr int kCloseTryAgainLater = 1013;
// Expired tokens are looked for at most this often, and at most this many go per look, so a
// sweep is a few microseconds of the loop even when a million tokens expire on the same day.
constexpr std::int64_t kTokenSweepIntervalMs = 1'000;
constexpr std::size_t kTokensPerSweep = 1'000;

// A history frame must stay under every client's frame limit (256 KiB) whatever the lines' sizes:
// 200 lines of 4 KiB would be 800 KiB. Pages are cut at this much text (JSON escaping can at most
// double it) and `more` then says there is more to fetch.
constexpr std::size_t kHistoryTextBudget = 96 * 1024;

// Keeps the lines nearest the page's anchor that fit the budget (at least one): the newest when
// paging back, the oldest when catching up. True if it cut any.
bool fit_history_budget(std::vector<ChatLine>& lines, bool keep_newest) {
  std::size_t bytes = 0;
  std::size_t kept = 0;
  for (; kept < lines.size(); ++kept) {
    const ChatLine& line = keep_newest ? lines[lines.size() - 1 - kept] : lines[kept];
    bytes += line.user.size() + line.text.size() + 48;  // 48: the JSON around them, generously
    if (bytes > kHistoryTextBudget && kept > 0) break;
  }
  if (kept == lines.size()) return false;
  if (keep_newest) {
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(kept));
  } else {
    lines.resize(kept);
  }
  return true;
}
}

ChatService::ChatService(Ports ports, ServiceOptions options)
    : transport_(ports.transport), store_(ports.store), clock_(ports.clock), random_(ports.random),
      options_(options), tokens_(options.name_grace_ms, options.tokens, ports.hasher),
      token_issues_(options.rates.enabled ? options.new_tokens_per_address_hour : 0), last_line_id_(1, 0) {}

void ChatService::restore(const StoredState& state) {
  for (const auto& room : state.rooms) {
    const auto existing = rooms_.find(room.name);  // general exists from the start
    const RoomId id = existing ? *existing : rooms_.create(room.name);
    if (id >= last_line_id_.size()) last_line_id_.resize(id + 1, 0);
    last_line_id_[id] = room.last_line_id;
  }
  for (const auto& token : state.tokens) tokens_.restore(token);
  delete_revoked_tokens();  // over the per-name cap (stored before there was one)
  rooms_frame_.reset();
}

void ChatService::on_tick() {
  const std::int64_t now = clock_.now_ms();
  if (now < next_token_sweep_ms_) return;
  next_token_sweep_ms_ = now + kTokenSweepIntervalMs;
  tokens_.sweep(now, kTokensPerSweep);
  delete_revoked_tokens();
}

void ChatService::delete_revoked_tokens() {
  auto revoked = tokens_.take_revoked();
  if (!revoked.empty()) store_.delete_tokens(revoked, [](bool) {});  // if it fails, the next load drops them
}

void ChatService::connect(SessionId session, std::string_view address) {
  sessions_.emplace(session, Session(options_.rates)).first->second.address = std::string(address);
  rooms_.place(session, RoomRegistry::kGeneral);
  transport_.send(session, rooms_frame());
}

void ChatService::receive_text(SessionId session, std::string_view text) {
  Session* state = find(session);
  if (!state) return;
  const ClientRequest decoded = decode_client_request(text, options_.limits);
  const Request request{session, decoded.request_id};
  if (!within_rate_limits(request, *state, decoded.frame ? &decoded.frame.value() : nullptr)) return;
  if (!decoded.frame) return refuse(request, decoded.frame.error());
  const ClientFrame& frame = decoded.frame.value();
  const bool needs_no_login = std::holds_alternative<Login>(frame) || std::holds_alternative<Resume>(frame);
  if (!needs_no_login && names_.name_of(session) == nullptr) {
    return refuse(request, Error{ErrorCode::not_logged_in, ""});
  }
  std::visit([&](const auto& body) { handle(request, body); }, frame);
}

void ChatService::receive_binary(SessionId session) {
  Session* state = find(session);
  if (!state) return;
  const std::string no_id;
  const Request request{session, no_id};
  if (!within_rate_limits(request, *state, nullptr)) return;
  refuse(request, Error{ErrorCode::binary_frame, "send JSON in text frames"});
}

// Each address gets new_tokens_per_address_hour new tokens an hour (see TokenIssueLimiter); a v2
// login that would need one more is refused, like any rate limit, with when to retry. Sessions
// that already hold a token (a rename, a resumed session) need no new one.
bool ChatService::may_issue_token(const Request& request, const Session& session) {
  if (!session.token_id.empty()) return true;
  const std::int64_t wait = token_issues_.wait_ms(session.address, clock_.now_ms());
  if (wait == 0) return true;
  MessageFrame refused = refusal(Error{ErrorCode::rate_limited, "too many new resume tokens for your address; retry in " +
                                                                    std::to_string(wait) + " ms"});
  refused.retry_after_ms = wait;
  reply(request, std::move(refused));
  return false;
}

// Chat lines spend the line and byte buckets; everything else, unreadable frames included,
// spends the request bucket. A client that ignores many refusals in a row is closed (1008).
bool ChatService::within_rate_limits(const Request& request, Session& session, const ClientFrame* frame) {
  if (!options_.rates.enabled) return true;
  const std::int64_t now = clock_.now_ms();
  const auto* line = frame ? std::get_if<SendMessage>(frame) : nullptr;
  const double bytes = line ? static_cast<double>(line->message.size()) : 0;
  std::int64_t wait = 0;
  if (line) {
    wait = std::max(session.lines.wait_ms(now), session.bytes.wait_ms(now, bytes));
    if (wait == 0) session.lines.take(now), session.bytes.take(now, bytes);
  } else if (!session.requests.take(now)) {
    wait = session.requests.wait_ms(now);
  }
  if (wait == 0) {
    session.refused_in_a_row = 0;
    return true;
  }
  if (++session.refused_in_a_row >= options_.rates.flood_refusals) {
    transport_.close(request.session, kClosePolicyViolation, "flooding: too many requests ignored the rate limit");
    disconnect(request.session);
    return false;
  }
  MessageFrame refused = refusal(Error{ErrorCode::rate_limited, "retry in " + std::to_string(wait) + " ms"});
  refused.retry_after_ms = wait;
  reply(request, std::move(refused));
  return false;
}

void ChatService::disconnect(SessionId session) {
  Session* state = find(session);
  if (!state) return;
  if (const std::string* name = names_.name_of(session)) {
    if (!state->token_id.empty()) tokens_.reserve(name_key(*name), state->token_id, clock_.now_ms());
    announce(*rooms_.room_of(session), session, false);
  }
  names_.release(session);
  rooms_.remove(session);
  sessions_.erase(session);
}

// ---- Names -------------------------------------------------------------------------------------

void ChatService::handle(const Request& request, const Login& login) {
  if (auto error = validate_name(login.user, options_.limits)) return refuse(request, *error);
  Session& session = *find(request.session);
  if (std::max(login.version, session.version) >= kCurrentVersion && !may_issue_token(request, session)) return;
  const auto reserved = tokens_.reserved_for(name_key(login.user), clock_.now_ms());
  if (reserved && *reserved != session.token_id) {
    return refuse(request, Error{ErrorCode::name_taken, login.user + " (kept for its owner to come back)"});
  }
  const std::string* current = names_.name_of(request.session);
  const bool arriving = current == nullptr;
  const std::string previous = arriving ? std::string() : *current;
  if (!names_.claim(request.session, login.user)) {
    return refuse(request, Error{ErrorCode::name_taken, login.user});
  }
  tokens_.unreserve(name_key(login.user));
  const RoomId room = *rooms_.room_of(request.session);
  const bool renamed = !arriving && previous != login.user;
  if (renamed) announce_as(room, request.session, previous, false);
  if (arriving || renamed) announce(room, request.session, true);
  if (login.version > session.version) session.version = login.version;
  if (session.version >= kCurrentVersion) rooms_.listen(request.session);
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
    auto issued = tokens_.issue(name, random_, now);
    token = std::move(issued.record);
    session.token_id = token.id;
    session.token_text = std::move(issued.text);
    token_issues_.record(session.address, now);
  }
  delete_revoked_tokens();
  MessageFrame ack = notice(event, "Welcome, " + name + "!", name, "");
  if (event == Event::resumed) ack.room = rooms_.name(*rooms_.room_of(request.session));
  ack.token = session.token_text;
  ack.version = kCurrentVersion;
  ack.request_id = request.request_id;
  const SessionId id = request.session;
  store_.save_token(token, [this, id, ack = std::move(ack), then = std::move(then)](bool ok) {
    if (!find(id)) return;
    send_frame(id, ack);
    if (!ok) {
      MessageFrame warning = refusal(Error{ErrorCode::store_unavailable, "resume token not saved"});
      warning.request_id = ack.request_id;
      send_frame(id, warning);
    }
    then();
  });
}

void ChatService::handle(const Request& request, const Resume& resume) {
  const StoredToken* token = tokens_.verify(resume.token, clock_.now_ms());
  if (!token) {
    delete_revoked_tokens();  // it may have just expired
    return refuse(request, Error{ErrorCode::bad_token, ""});
  }
  const std::string name = token->user;
  const std::string token_id = token->id;
  const auto reserved = tokens_.reserved_for(name_key(name), clock_.now_ms());
  if (reserved && *reserved != token_id) return refuse(request, Error{ErrorCode::name_taken, name});
  for (const auto& [other_id, other] : sessions_) {
    if (other_id != request.session && other.token_id == token_id) {
      // The same client on a connection the server has not yet seen die: the newest one wins.
      transport_.close(other_id, kCloseReplaced, "resumed on another connection");
      disconnect(other_id);
      break;
    }
  }
  if (!names_.claim(request.session, name)) return refuse(request, Error{ErrorCode::name_taken, name});
  tokens_.unreserve(name_key(name));
  Session& session = *find(request.session);
  session.version = kCurrentVersion;
  rooms_.listen(request.session);
  session.token_id = token_id;
  session.token_text = resume.token;
  // The client's after_id counts in its room; if that room is gone it means nothing in general.
  const auto wanted = rooms_.find(resume.room);
  const RoomId room = wanted.value_or(RoomRegistry::kGeneral);
  const std::int64_t after_id = wanted ? resume.after_id : 0;
  rooms_.place(request.session, room);
  announce(room, request.session, true);
  hold_live_lines(session);
  const SessionId id = request.session;
  finish_login(request, name, Event::resumed, [this, id, room, after_id] { catch_up(id, room, after_id); });
}

// ---- Rooms -------------------------------------------------------------------------------------

void ChatService::handle(const Request& request, const CreateRoom& create) {
  if (auto error = validate_room(create.room, options_.limits)) return refuse(request, *error);
  if (rooms_.find(create.room) || rooms_being_created_.count(create.room) > 0) {
    return refuse(request, Error{ErrorCode::room_exists, create.room});
  }
  rooms_being_created_.insert(create.room);
  const SessionId id = request.session;
  store_.create_room(create.room, clock_.now_ms(),
                     [this, id, name = create.room, request_id = request.request_id](bool ok) {
    rooms_being_created_.erase(name);
    const Request later{id, request_id};
    if (!ok) {
      if (find(id)) refuse(later, Error{ErrorCode::store_unavailable, "room " + name + " not created"});
      return;
    }
    rooms_.create(name);
    last_line_id_.push_back(0);
    rooms_frame_.reset();
    if (find(id)) reply(later, notice(Event::room_created, "Room " + name + " created", "", name));
    broadcast_rooms();
  });
}

void ChatService::handle(const Request& request, const JoinRoom& join) {
  if (auto error = validate_room(join.room, options_.limits)) return refuse(request, *error);
  const auto room = rooms_.find(join.room);
  if (!room) return refuse(request, Error{ErrorCode::no_such_room, join.room});
  const bool moving = rooms_.room_of(request.session) != room;
  if (moving) {
    announce(*rooms_.room_of(request.session), request.session, false);
    rooms_.place(request.session, *room);
  }
  reply(request, notice(Event::joined, "You joined " + join.room, "", join.room));
  enter_room(request.session, *room, moving);
}

// What a logged-in session gets on entering a room (or re-joining it): v2 sessions receive the
// members and the latest lines; on a real arrival, the room's v2 members hear of it.
void ChatService::enter_room(SessionId session, RoomId room, bool arrival) {
  if (arrival) announce(room, session, true);
  if (find(session)->version < kCurrentVersion) return;
  catch_up(session, room, 0);
}

// v2: the room's members, then its lines after `after_id` (the latest page when 0).
void ChatService::catch_up(SessionId session, RoomId room, std::int64_t after_id) {
  if (!find(session)) return;
  send_frame(session, members_of(room));
  send_history(session, room, after_id);
}

// From now until its history is sent, live lines are held back from the session: they will be in
// the history, which is read after they are stored.
void ChatService::hold_live_lines(Session& session) { session.sync = next_sync_++; }

void ChatService::announce(RoomId room, SessionId about, bool joined) {
  if (const std::string* name = names_.name_of(about)) announce_as(room, about, *name, joined);
}

void ChatService::announce_as(RoomId room, SessionId about, const std::string& name, bool joined) {
  SharedText frame;
  for (const SessionId listener : rooms_.listeners(room)) {
    if (listener == about) continue;
    if (!frame) frame = share(encode(ServerFrame{PresenceFrame{rooms_.name(room), name, joined}}));
    transport_.send(listener, frame);
  }
}

MembersFrame ChatService::members_of(RoomId room) const {
  MembersFrame frame{rooms_.name(room), {}};
  for (const SessionId member : rooms_.members(room)) {
    if (const std::string* name = names_.name_of(member)) frame.users.push_back(*name);
  }
  return frame;
}

// ---- Lines -------------------------------------------------------------------------------------

void ChatService::handle(const Request& request, const SendMessage& send) {
  if (auto error = validate_text(send.message, options_.limits)) return refuse(request, *error);
  if (store_.pending() >= options_.max_store_backlog) {
    return refuse(request, Error{ErrorCode::server_busy, ""});
  }
  const RoomId room = *rooms_.room_of(request.session);
  ChatLine line{++last_line_id_[room], clock_.now_ms(), *names_.name_of(request.session), send.message};
  const SessionId id = request.session;
  store_.append_line(rooms_.name(room), line,
                     [this, id, room, line, request_id = request.request_id](bool ok) {
    if (ok) return deliver(room, line);
    if (find(id)) refuse(Request{id, request_id}, Error{ErrorCode::store_unavailable, "line not sent"});
  });
}

void ChatService::deliver(RoomId room, const ChatLine& line) {
  SharedText seed_frame;
  SharedText detailed_frame;
  for (const SessionId member : rooms_.members(room)) {
    const Session& session = *find(member);
    if (session.version < kCurrentVersion) {
      if (!seed_frame) seed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, false)}));
      transport_.send(member, seed_frame);
    } else if (session.sync == 0) {
      if (!detailed_frame) detailed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, true)}));
      transport_.send(member, detailed_frame);
    }
  }
}

void ChatService::handle(const Request& request, const History& history) {
  if (auto error = validate_room(history.room, options_.limits)) return refuse(request, *error);
  const auto room = rooms_.find(history.room);
  if (!room) return refuse(request, Error{ErrorCode::no_such_room, history.room});
  const SessionId id = request.session;
  LineQuery query{history.room, 0, history.before_id, history.limit};
  store_.read_lines(query, [this, id, room_name = history.room, request_id = request.request_id](LinePage page) {
    if (!find(id)) return;
    if (!page.ok) return refuse(Request{id, request_id}, Error{ErrorCode::store_unavailable, "history"});
    const bool cut = fit_history_budget(page.lines, /*keep_newest=*/true);
    send_frame(id, HistoryFrame{room_name, std::move(page.lines), page.more || cut, request_id});
  });
}

// Sends the room's lines after `after_id` (or the latest page when 0) in pages, holding live lines
// back until the last page is out.
void ChatService::send_history(SessionId session, RoomId room, std::int64_t after_id) {
  Session& state = *find(session);
  hold_live_lines(state);
  const std::uint64_t sync = state.sync;
  LineQuery query{rooms_.name(room), after_id, 0, after_id == 0 ? kDefaultHistoryLimit : options_.catch_up_page};
  store_.read_lines(query, [this, session, room, after_id, sync](LinePage page) {
    Session* current = find(session);
    if (!current || current->sync != sync) return;  // gone, or moved on to another room
    if (!page.ok) return history_unreadable(session);
    const bool catching_up = after_id != 0;
    const bool cut = fit_history_budget(page.lines, /*keep_newest=*/!catching_up);
    const std::int64_t last = page.lines.empty() ? after_id : page.lines.back().id;
    const bool older_exist = catching_up ? after_id > 0 : page.more || cut;
    const bool more_to_catch_up = catching_up && (page.more || cut);
    send_frame(session, HistoryFrame{rooms_.name(room), std::move(page.lines), older_exist, ""});
    if (more_to_catch_up) return send_history(session, room, last);
    current->sync = 0;
  });
}

// The lines held back while the history was read would be missing for good: rather than a silent
// gap, the session ends with 1013 (try again later). Its client resumes from the last line it has
// (the name is kept for the token), and catches up once the store answers again.
void ChatService::history_unreadable(SessionId session) {
  send_frame(session, refusal(Error{ErrorCode::store_unavailable, "history could not be read"}));
  transport_.close(session, kCloseTryAgainLater, "history could not be read: try again later");
  disconnect(session);
}

// ---- Helpers -----------------------------------------------------------------------------------

ChatService::Session* ChatService::find(SessionId session) {
  const auto it = sessions_.find(session);
  return it == sessions_.end() ? nullptr : &it->second;
}

void ChatService::reply(const Request& request, MessageFrame frame) {
  frame.request_id = request.request_id;
  send_frame(request.session, frame);
}

void ChatService::refuse(const Request& request, const Error& error) { reply(request, refusal(error)); }

void ChatService::send_frame(SessionId session, const ServerFrame& frame) {
  transport_.send(session, share(encode(frame)));
}

void ChatService::broadcast_rooms() {
  const SharedText frame = rooms_frame();
  for (const auto& [session, state] : sessions_) transport_.send(session, frame);
}

SharedText ChatService::rooms_frame() {
  if (!rooms_frame_) rooms_frame_ = share(encode(ServerFrame{RoomsFrame{rooms_.names()}}));
  return rooms_frame_;
}

}  // namespace chat
