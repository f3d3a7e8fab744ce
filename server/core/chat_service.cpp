// Every handler checks in the same order: logged in, then the shared validation rules, then the
// state (name free, room exists), and only then changes anything, so a refusal has no effect.
//
// Durability and ordering: a chat line is published to the engine, which stores it, gives it its
// id and hands it back through the inbox, from whichever node it was sent. Lines reach people only
// from the inbox, through the room's RoomFeed, so:
// - each room's lines are delivered in id order, each once, and a hole is filled from history;
// - the sender's next request waits until its line has been delivered (it gets its own echo first);
// - a v2 session that asked for history (join, login, resume) is "syncing": live lines are held
//   for it (HeldLines) until the page arrives; those the page holds are dropped, the rest follow
//   it, and a hole between them is read too: no gap, no duplicate, whatever the order in which the
//   engine answers the read and delivers the lines.
#include "server/core/chat_service.hpp"

#include <algorithm>
#include <functional>

#include "server/core/stored_names.hpp"
#include "server/log.hpp"
#include "server/names/name_keys.hpp"
#include "server/names/name_rules.hpp"
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
    : transport_(ports.transport), engine_(ports.engine), clock_(ports.clock), random_(ports.random),
      options_(options), tokens_(options.name_grace_ms, options.tokens, ports.hasher),
      token_issues_(options.rates.enabled ? static_cast<double>(options.new_tokens_per_address_hour) : 0,
                    static_cast<double>(options.new_tokens_per_address_hour) / 3600, options.max_tracked_addresses),
      room_creator_(1),
      room_creations_(options.rates.enabled ? static_cast<double>(options.new_rooms_per_address_hour) : 0,
                      static_cast<double>(options.new_rooms_per_address_hour) / 3600,
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
  delete_revoked_tokens();  // over the per-name cap (stored before there was one)
}

void ChatService::on_tick() {
  const std::int64_t now = clock_.now_ms();
  send_rooms_list_if_due(now);
  if (now < next_token_sweep_ms_) return;
  next_token_sweep_ms_ = now + kTokenSweepIntervalMs;
  tokens_.sweep(now, kTokensPerSweep);
  delete_revoked_tokens();
}

void ChatService::token_saved(const StoredToken& token) {
  tokens_.restore(token);
  delete_revoked_tokens();  // over a cap here too: the same ones go on every node
}

void ChatService::token_deleted(const std::string& id) { tokens_.forget(id); }

void ChatService::delete_revoked_tokens() {
  auto revoked = tokens_.take_revoked();
  if (!revoked.empty()) engine_.delete_tokens(revoked, [](bool) {});  // if it fails, the next load drops them
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

// ---- Request order -----------------------------------------------------------------------------

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
  if (!engine_.available() || engine_.pending() >= options_.max_store_backlog) return false;
  if (!options_.rates.enabled) return true;
  const std::int64_t now = clock_.now_ms();
  return state.lines.wait_ms(now) == 0 && state.bytes.wait_ms(now, static_cast<double>(line.message.size())) == 0;
}

void ChatService::start(SessionId session, const ClientRequest& decoded) {
  Session* state = find(session);
  if (!state) return;
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

template <class Completion>
auto ChatService::in_order(SessionId session, RequestOrder::Work work, Completion completion) {
  find(session)->order.started(work);
  return [this, session, work, completion = std::move(completion)](auto result) mutable {
    completion(std::move(result));
    finished(session, work);
  };
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
  refuse_rate_limited(request, wait);
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
    if (!state->token_id.empty()) {
      tokens_.reserve(keys, state->token_id, clock_.now_ms());
      if (engine_.cluster()) engine_.reserve_name(keys, state->token_id, options_.name_grace_ms);
    } else if (engine_.cluster()) {
      engine_.release_name(keys, session, "");
    }
    announce(*rooms_.room_of(session), session, false);
  }
  names_.release(session);
  rooms_.remove(session);
  sessions_.erase(session);
}

// ---- Names -------------------------------------------------------------------------------------

void ChatService::handle(const Request& request, const Login& login) {
  if (auto error = check_name(login.user, options_.limits)) return refuse(request, *error);
  Session& session = *find(request.session);
  if (std::max(login.version, session.version) >= kCurrentVersion && !may_issue_token(request, session)) return;
  const NameKeys keys = name_keys(login.user);
  if (tokens_.reserved_for_other(keys, session.token_id, clock_.now_ms())) {
    return refuse(request, Error{ErrorCode::name_taken, login.user + " (kept for its owner to come back)"});
  }
  if (names_.held_by_other(request.session, login.user)) return refuse(request, Error{ErrorCode::name_taken, login.user});
  const std::string* current = names_.name_of(request.session);
  if (!engine_.cluster() || (current && name_keys(*current) == keys)) return take_name(request, login);
  // A cluster: the name must also be free on every other node.
  const SessionId id = request.session;
  engine_.claim_name(keys, id, session.token_id, in_order(id, RequestOrder::Work::other,
                     [this, id, login, keys, token_id = session.token_id, request_id = request.request_id](ClaimOutcome outcome) {
    if (!find(id)) {
      if (outcome == ClaimOutcome::claimed) engine_.release_name(keys, id, token_id);
      return;
    }
    const Request later{id, request_id};
    if (outcome == ClaimOutcome::taken) return refuse(later, Error{ErrorCode::name_taken, login.user});
    if (outcome == ClaimOutcome::failed) return refuse(later, Error{ErrorCode::store_unavailable, "name not claimed"});
    take_name(later, login);
  }));
}

// The name is free (in the cluster too): the session takes it, leaving its previous one.
void ChatService::take_name(const Request& request, const Login& login) {
  Session& session = *find(request.session);
  const std::string* current = names_.name_of(request.session);
  const bool arriving = current == nullptr;
  const std::string previous = arriving ? std::string() : *current;
  if (!names_.claim(request.session, login.user)) {  // taken here while the cluster answered
    if (engine_.cluster()) engine_.release_name(name_keys(login.user), request.session, session.token_id);
    return refuse(request, Error{ErrorCode::name_taken, login.user});
  }
  const NameKeys keys = name_keys(login.user);
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
    token_issues_.take(session.address, now);
    // In a cluster the name's claim now follows the token, so the token can resume on any node.
    if (engine_.cluster()) engine_.name_now_held_by_token(name_keys(name), request.session, token.id);
  }
  delete_revoked_tokens();
  MessageFrame ack = notice(event, "Welcome, " + name + "!", name, "");
  if (event == Event::resumed) ack.room = rooms_.name(*rooms_.room_of(request.session));
  ack.token = session.token_text;
  ack.version = kCurrentVersion;
  ack.request_id = request.request_id;
  const SessionId id = request.session;
  engine_.save_token(token, in_order(id, RequestOrder::Work::other, [this, id, ack = std::move(ack), then = std::move(then)](bool ok) {
    if (!find(id)) return;
    send_frame(id, ack);
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
  const std::string name = token->user;
  const std::string token_id = token->id;
  if (tokens_.reserved_for_other(name_keys(name), token_id, clock_.now_ms())) {
    return refuse(request, Error{ErrorCode::name_taken, name});
  }
  if (!engine_.cluster()) return resume_as(request, resume, name, token_id);
  // A cluster: the name's claim is the token's (reserved for it after a drop on any node).
  const SessionId id = request.session;
  engine_.claim_name(name_keys(name), id, token_id, in_order(id, RequestOrder::Work::other,
                     [this, id, resume, name, token_id, request_id = request.request_id](ClaimOutcome outcome) {
    if (!find(id)) return;  // the claim stays the token's, reserved: nothing to release
    const Request later{id, request_id};
    if (outcome == ClaimOutcome::taken) return refuse(later, Error{ErrorCode::name_taken, name});
    if (outcome == ClaimOutcome::failed) return refuse(later, Error{ErrorCode::store_unavailable, "name not claimed"});
    resume_as(later, resume, name, token_id);
  }));
}

void ChatService::resume_as(const Request& request, const Resume& resume, const std::string& name,
                            const std::string& token_id) {
  for (const auto& [other_id, other] : sessions_) {
    if (other_id != request.session && other.token_id == token_id) {
      // The same client on a connection the server has not yet seen die: the newest one wins.
      transport_.close(other_id, kCloseReplaced, "resumed on another connection");
      disconnect(other_id);
      break;
    }
  }
  if (!names_.claim(request.session, name)) return refuse(request, Error{ErrorCode::name_taken, name});
  tokens_.unreserve(name_keys(name));
  remote_members_.forget_user(name);  // it comes back here from another node
  Session& session = *find(request.session);
  metrics_.session_version(session.version, kCurrentVersion);
  session.version = kCurrentVersion;
  rooms_.listen(request.session);
  session.token_id = token_id;
  session.token_text = resume.token;
  // The client's after_id counts in its room; if that room is gone it means nothing in general.
  const auto wanted = rooms_.find(resume.room);
  const RoomId room = wanted.value_or(RoomRegistry::kGeneral);
  // Beyond the room's last line: the client saw a room of that name that was deleted since.
  const std::int64_t after_id = wanted && resume.after_id <= feeds_.at(*wanted).last_id() ? resume.after_id : 0;
  rooms_.place(request.session, room);
  announce(room, request.session, true);
  hold_live_lines(session);
  const SessionId id = request.session;
  finish_login(request, name, Event::resumed, [this, id, room, after_id] { catch_up(id, room, after_id); });
}

// ---- Rooms -------------------------------------------------------------------------------------

// A room storm from many connections of one address is stopped by the per-address limit, and
// from many addresses by the cap; seed clients then get one list per interval, not per room.
void ChatService::handle(const Request& request, const CreateRoom& create) {
  if (auto error = check_room(create.room, options_.limits)) return refuse(request, *error);
  if (rooms_.in_use(create.room)) return refuse(request, Error{ErrorCode::room_exists, create.room});
  if (rooms_.count() + rooms_being_created_ >= options_.max_rooms) {
    return refuse(request, Error{ErrorCode::too_many_rooms, std::to_string(options_.max_rooms) + " rooms"});
  }
  const SessionId id = request.session;
  const std::int64_t now = clock_.now_ms();
  const std::string& address = find(id)->address;
  if (const std::int64_t wait = room_creations_.wait_ms(address, now)) {
    return refuse_rate_limited(request, wait, "too many new rooms from your address; ");
  }
  room_creations_.take(address, now);
  rooms_.hold(create.room);
  ++rooms_being_created_;
  room_changes_[create.room] = id;
  const StoredRoom room{create.room, 0, *names_.name_of(id), now, ""};
  engine_.create_room(room, in_order(id, RequestOrder::Work::other,
                      [this, id, name = create.room, request_id = request.request_id](RoomOutcome outcome) {
    rooms_.unhold(name);  // if the inbox has not had it (a failure)
    --rooms_being_created_;
    room_changes_.erase(name);
    const Request later{id, request_id};
    if (!find(id)) return;
    if (outcome == RoomOutcome::conflict) return refuse(later, Error{ErrorCode::room_exists, name});
    if (outcome == RoomOutcome::failed) {
      return refuse(later, Error{ErrorCode::store_unavailable, "room " + name + " not created"});
    }
    reply(later, notice(Event::room_created, "Room " + name + " created", "", name));
    rooms_changed();  // held back by the inbox until the creator had its answer
  }));
}

void ChatService::add_room(const StoredRoom& room) {
  const auto existing = rooms_.find(room.name);  // general exists from the start
  const RoomId id = existing ? *existing : rooms_.create(room.name);
  if (id >= room_creator_.size()) room_creator_.resize(id + 1);
  feeds_.insert_or_assign(id, RoomFeed(room.epoch, room.last_line_id));
  room_creator_[id] = room.creator;
  rooms_frame_.reset();
}

// From any node, this one's own creations included (before their requests complete).
void ChatService::room_created(const StoredRoom& room) {
  if (rooms_.find(room.name)) return;  // a repeat
  const SessionId creator = changing_room(room.name);
  if (creator != 0) rooms_.unhold(room.name);
  if (rooms_.in_use(room.name)) {
    // Another node's look-alike of a room here: the engine keeps names unique, so this is a race
    // the engine has already settled; the next restart shows its answer.
    log_line(LogLevel::warn, "rooms: %s from another node collides with a room here; ignored", room.name.c_str());
    return;
  }
  add_room(room);
  announce_room_change(Event::room_created, room.name, creator);
  if (creator == 0) return rooms_changed();
  rooms_list_owed_ = true;  // sent once the creator has its answer, which a seed client reads first
}

SessionId ChatService::changing_room(const std::string& room) const {
  const auto found = room_changes_.find(room);
  return found == room_changes_.end() ? 0 : found->second;
}

// Only the name that created the room may delete it (by identity key: a look-alike of an absent
// creator could log in, the creator's own spelling in other case or width is the creator); general and
// rooms from before deletion existed have no creator. The history goes with the room.
void ChatService::handle(const Request& request, const DeleteRoom& del) {
  if (auto error = check_room(del.room, options_.limits)) return refuse(request, *error);
  const auto room = rooms_.find(del.room);
  if (!room || rooms_being_deleted_.count(*room) > 0) return refuse(request, Error{ErrorCode::no_such_room, del.room});
  const std::string& creator = room_creator_[*room];
  if (creator.empty() || name_keys(creator).identity != name_keys(*names_.name_of(request.session)).identity) {
    return refuse(request, Error{ErrorCode::not_allowed, "only the room's creator may delete it"});
  }
  rooms_being_deleted_.insert(*room);
  room_changes_[del.room] = request.session;
  const SessionId id = request.session;
  engine_.delete_room(del.room, in_order(id, RequestOrder::Work::other,
                      [this, id, room = *room, name = del.room, request_id = request.request_id](RoomOutcome outcome) {
    rooms_being_deleted_.erase(room);
    room_changes_.erase(name);
    const Request later{id, request_id};
    if (!find(id)) return;
    if (outcome == RoomOutcome::conflict) return refuse(later, Error{ErrorCode::no_such_room, name});
    if (outcome == RoomOutcome::failed) {
      return refuse(later, Error{ErrorCode::store_unavailable, "room " + name + " not deleted"});
    }
    reply(later, notice(Event::room_deleted, "Room " + name + " deleted", "", name));
    rooms_changed();
  }));
}

// From any node, this one's own deletions included (before their requests complete).
void ChatService::room_deleted(const std::string& name) {
  const auto room = rooms_.find(name);
  if (!room || *room == RoomRegistry::kGeneral) return;
  const SessionId deleter = changing_room(name);
  announce_room_change(Event::room_deleted, name, deleter);
  remote_members_.room_gone(name);  // their nodes move them to general, and say so
  remove_room(*room);
  if (deleter == 0) return rooms_changed();
  rooms_list_owed_ = true;
}

// Its members go back to general, as if they had joined it.
void ChatService::remove_room(RoomId room) {
  const std::vector<SessionId> members = rooms_.members(room);  // a copy: place() changes the list
  for (const SessionId member : members) {
    rooms_.place(member, RoomRegistry::kGeneral);
    send_frame(member, notice(Event::joined, "You joined general", "", std::string(RoomRegistry::kGeneralName)));
    enter_room(member, RoomRegistry::kGeneral, true);
  }
  rooms_.remove_room(room);
  const auto feed = feeds_.find(room);
  std::vector<RoomFeed::Waiter> waiting = feed->second.take_waiters();
  feeds_.erase(feed);
  room_creator_[room].clear();
  for (auto& waiter : waiting) waiter();  // their lines' senders hear that the room went
  rooms_frame_.reset();
}

void ChatService::announce_room_change(Event event, const std::string& room, SessionId except) {
  const bool created = event == Event::room_created;
  const SharedText frame =
      share(encode(ServerFrame{notice(event, "Room " + room + (created ? " created" : " was deleted"), "", room)}));
  const auto in_room = rooms_.find(room);
  for (const auto& [session, state] : sessions_) {
    const bool was_in_it = !created && in_room && rooms_.room_of(session) == in_room;
    if (session != except && (state.version >= kCurrentVersion || was_in_it)) transport_.send(session, frame);
  }
}

void ChatService::rooms_changed() {
  rooms_list_owed_ = true;
  send_rooms_list_if_due(clock_.now_ms());
}

void ChatService::send_rooms_list_if_due(std::int64_t now) {
  if (!rooms_list_owed_ || now < next_rooms_list_ms_) return;
  rooms_list_owed_ = false;
  next_rooms_list_ms_ = now + options_.rooms_list_interval_ms;
  const SharedText frame = rooms_frame();
  for (const auto& [session, state] : sessions_) {
    if (state.version < kCurrentVersion) transport_.send(session, frame);
  }
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
void ChatService::hold_live_lines(Session& session) {
  session.sync = next_sync_++;
  session.held.clear();
}

void ChatService::announce(RoomId room, SessionId about, bool joined) {
  if (const std::string* name = names_.name_of(about)) announce_as(room, about, *name, joined);
}

void ChatService::announce_as(RoomId room, SessionId about, const std::string& name, bool joined) {
  if (engine_.cluster()) engine_.announce_presence(rooms_.name(room), name, joined);
  tell_listeners(room, about, name, joined);
}

void ChatService::tell_listeners(RoomId room, SessionId except, const std::string& name, bool joined) {
  SharedText frame;
  for (const SessionId listener : rooms_.listeners(room)) {
    if (listener == except) continue;
    if (!frame) frame = share(encode(ServerFrame{PresenceFrame{rooms_.name(room), name, joined}}));
    transport_.send(listener, frame);
  }
}

void ChatService::member_joined(const std::string& room, const std::string& user, const std::string& node) {
  const auto id = rooms_.find(room);
  if (id && remote_members_.joined(room, user, node)) tell_listeners(*id, 0, user, true);
}

void ChatService::member_left(const std::string& room, const std::string& user, const std::string& node) {
  const auto id = rooms_.find(room);
  if (id && remote_members_.left(room, user, node)) tell_listeners(*id, 0, user, false);
}

// This node's members, then the other nodes' (a cluster).
MembersFrame ChatService::members_of(RoomId room) const {
  MembersFrame frame{rooms_.name(room), {}};
  for (const SessionId member : rooms_.members(room)) {
    if (const std::string* name = names_.name_of(member)) frame.users.push_back(*name);
  }
  if (const auto* remote = remote_members_.in(rooms_.name(room))) {
    for (const auto& [user, node] : *remote) frame.users.push_back(user);
  }
  return frame;
}

// ---- Lines -------------------------------------------------------------------------------------

// The line's request stays unfinished until the line has come back through the inbox and been
// delivered: the sender's later requests (a join, a refusal) never overtake its own echo.
void ChatService::handle(const Request& request, const SendMessage& send) {
  if (auto error = validate_text(send.message, options_.limits)) return refuse(request, *error);
  if (!engine_.available()) return refuse(request, Error{ErrorCode::store_unavailable, "line not sent"});
  if (engine_.pending() >= options_.max_store_backlog) return refuse(request, Error{ErrorCode::server_busy, ""});
  const RoomId room = *rooms_.room_of(request.session);
  if (rooms_being_deleted_.count(room) > 0) return refuse(request, Error{ErrorCode::no_such_room, "the room is being deleted"});
  const SessionId id = request.session;
  const std::uint32_t generation = rooms_.generation(room);
  find(id)->order.started(RequestOrder::Work::line);
  engine_.publish(rooms_.name(room), clock_.now_ms(), *names_.name_of(id), send.message,
                  [this, id, room, generation, request_id = request.request_id](PublishResult result) {
    const auto finish = [this, id] { finished(id, RequestOrder::Work::line); };
    const Request later{id, request_id};
    if (rooms_.generation(room) != generation) {  // deleted meanwhile: never into a later room
      if (find(id)) refuse(later, Error{ErrorCode::no_such_room, "the room was deleted"});
      return finish();
    }
    if (result.outcome == PublishOutcome::stored) {
      if (feeds_.at(room).delivered_or_wait(result.epoch, result.id, finish)) finish();
      return;
    }
    if (result.outcome == PublishOutcome::unknown) {
      log_line(LogLevel::warn, "engine: a line's fate is unknown: %s", result.error.c_str());
    }
    // Unknown: if it was stored after all, it reaches everyone (the sender too) through the inbox.
    const char* what = result.outcome == PublishOutcome::unknown ? "line may not have been sent" : "line not sent";
    if (find(id)) refuse(later, Error{ErrorCode::store_unavailable, what});
    finish();
  });
}

void ChatService::line_published(const std::string& room, const std::string& epoch, const ChatLine& line) {
  if (const auto id = rooms_.find(room)) apply(*id, feeds_.at(*id).offer(epoch, line));
}

void ChatService::line_void(const std::string& room, const std::string& epoch, std::int64_t line_id) {
  if (const auto id = rooms_.find(room)) apply(*id, feeds_.at(*id).skip(epoch, line_id));
}

void ChatService::room_live(const std::string& room) {
  if (const auto id = rooms_.find(room)) apply(*id, feeds_.at(*id).resync());
}

void ChatService::apply(RoomId room, RoomFeed::Step step) {
  for (const ChatLine& line : step.deliver) deliver(room, line);
  for (auto& waiter : step.ready) waiter();
  if (step.read_needed && feeds_.count(room) > 0) read_feed(room);
}

// A hole in the room's feed is filled from durable history; a failed read waits for the next
// line or reconnection to try again.
void ChatService::read_feed(RoomId room) {
  const std::uint32_t generation = rooms_.generation(room);
  const LineQuery query{rooms_.name(room), feeds_.at(room).begin_read(), 0, options_.catch_up_page};
  engine_.read_lines(query, [this, room, generation](LinePage page) {
    if (rooms_.generation(room) != generation || feeds_.count(room) == 0) return;
    if (!page.ok) log_line(LogLevel::warn, "engine: could not read %s to fill a hole", rooms_.name(room).c_str());
    apply(room, feeds_.at(room).read_done(page));
  });
}

void ChatService::deliver(RoomId room, const ChatLine& line) {
  ++metrics_.lines_accepted;
  SharedText seed_frame;
  SharedText detailed_frame;
  const std::string& epoch = feeds_.at(room).epoch();
  for (const SessionId member : rooms_.members(room)) {
    Session& session = *find(member);
    if (session.version < kCurrentVersion) {
      if (!seed_frame) seed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, false)}));
      transport_.send(member, seed_frame);
      ++metrics_.deliveries;
      continue;
    }
    if (!detailed_frame) detailed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, true)}));
    if (session.sync == 0) {
      transport_.send(member, detailed_frame);
      ++metrics_.deliveries;
    } else {
      session.held.hold(epoch, line.id, detailed_frame);
    }
  }
}

void ChatService::handle(const Request& request, const History& history) {
  if (auto error = validate_room(history.room, options_.limits)) return refuse(request, *error);
  const auto room = rooms_.find(history.room);
  if (!room) return refuse(request, Error{ErrorCode::no_such_room, history.room});
  const SessionId id = request.session;
  LineQuery query{history.room, 0, history.before_id, history.limit};
  ++metrics_.history_reads;
  engine_.read_lines(query, in_order(id, RequestOrder::Work::other,
                    [this, id, room_name = history.room, request_id = request.request_id](LinePage page) {
    if (!find(id)) return;
    if (!page.ok) return refuse(Request{id, request_id}, Error{ErrorCode::store_unavailable, "history"});
    const bool cut = fit_history_budget(page.lines, /*keep_newest=*/true);
    send_frame(id, HistoryFrame{room_name, std::move(page.lines), page.more || cut, request_id});
  }));
}

// Sends the room's lines after `after_id` (or the latest page when 0) in pages, holding live lines
// back until the last page is out.
void ChatService::send_history(SessionId session, RoomId room, std::int64_t after_id, bool fresh) {
  Session& state = *find(session);
  if (fresh) hold_live_lines(state);
  const std::uint64_t sync = state.sync;
  LineQuery query{rooms_.name(room), after_id, 0, after_id == 0 ? kDefaultHistoryLimit : options_.catch_up_page};
  ++metrics_.history_reads;
  engine_.read_lines(query, in_order(session, RequestOrder::Work::other, [this, session, room, after_id, sync](LinePage page) {
    const Session* current = find(session);
    if (!current || current->sync != sync) return;  // gone, or moved on to another room
    history_read(session, room, after_id, std::move(page));
  }));
}

// One page of a sync: sent, then either the next page, or the held live lines that follow it.
void ChatService::history_read(SessionId session, RoomId room, std::int64_t after_id, LinePage page) {
  if (!page.ok) return history_unreadable(session);
  Session& state = *find(session);
  const bool catching_up = after_id != 0;
  const bool cut = fit_history_budget(page.lines, /*keep_newest=*/!catching_up);
  const std::int64_t last = page.lines.empty() ? after_id : page.lines.back().id;
  const bool older_exist = catching_up ? after_id > 0 : page.more || cut;
  const bool more_to_catch_up = catching_up && (page.more || cut);
  send_frame(session, HistoryFrame{rooms_.name(room), std::move(page.lines), older_exist, ""});
  if (more_to_catch_up) return send_history(session, room, last, /*fresh=*/false);
  HeldLines::Release release = state.held.release(page.epoch, last);
  if (release.restart) return send_history(session, room, 0);  // the room numbers anew: its latest page
  for (const SharedText& frame : release.send) transport_.send(session, frame);
  metrics_.deliveries += release.send.size();
  if (release.read_on) return send_history(session, room, release.after_id, /*fresh=*/false);
  state.sync = 0;
}

// The lines held back while the history was read would be missing for good: rather than a silent
// gap, the session ends with 1013 (try again later). Its client resumes from the last line it has
// (the name is kept for the token), and catches up once the store answers again.
void ChatService::history_unreadable(SessionId session) {
  metrics_.refused(ErrorCode::store_unavailable);
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

void ChatService::refuse(const Request& request, const Error& error) {
  metrics_.refused(error.code);
  reply(request, refusal(error));
}

void ChatService::send_frame(SessionId session, const ServerFrame& frame) {
  transport_.send(session, share(encode(frame)));
}

SharedText ChatService::rooms_frame() {
  if (!rooms_frame_) rooms_frame_ = share(encode(ServerFrame{RoomsFrame{rooms_.names()}}));
  return rooms_frame_;
}

}  // namespace chat
