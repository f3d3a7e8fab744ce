// The ViewModel's rooms and logs: frames from the server applied to the rooms list, the per-room
// logs (live lines, entry history, older pages), members and presence; creating and joining a
// room and paging back; and what the view reads.
// The session's life (connection, login, resume, refusals) is view_model.cpp's.
#include <algorithm>
#include <utility>

#include "app/view_model.hpp"
#include "shared/validate.hpp"

namespace chat::client {

void ViewModel::apply(const ServerFrame& frame, double now) {
  if (const auto* message = std::get_if<MessageFrame>(&frame)) {
    apply_message(*message, now);
  } else if (const auto* rooms = std::get_if<RoomsFrame>(&frame)) {
    apply_rooms(*rooms);
  } else if (const auto* room_members = std::get_if<RoomMembersFrame>(&frame)) {
    apply_room_members(*room_members);
  } else if (const auto* history = std::get_if<HistoryFrame>(&frame)) {
    apply_history(*history);
  } else if (const auto* members = std::get_if<MembersFrame>(&frame)) {
    apply_members(*members);
  } else if (const auto* presence = std::get_if<PresenceFrame>(&frame)) {
    apply_presence(*presence);
  } else if (const auto* unread = std::get_if<UnreadFrame>(&frame)) {
    apply_unread(*unread);
  } else if (const auto* typing = std::get_if<TypingFrame>(&frame)) {
    apply_typing(*typing, now);
  } else if (const auto* sessions = std::get_if<SessionsFrame>(&frame)) {
    apply_sessions(*sessions);
  }
  refresh_room_state();
}

void ViewModel::apply_message(const MessageFrame& frame, double now) {
  // Broadcasts carry no request_id; an answer does, and its request is answered now.
  const std::optional<Asked> asked = pending_.take(frame.request_id);
  if (frame.error) return apply_refusal(frame, asked, now);
  switch (frame.event) {
    case Event::chat:
      return apply_chat_line(frame);
    case Event::logged_in:
      return on_logged_in(frame, asked);
    case Event::resumed:
      return on_resumed(frame);
    case Event::logged_out:  // our sign-out, done already (sign_out()); the form says so
      return;
    case Event::joined:
      if (!frame.room.empty()) on_joined(frame.room);
      break;
    case Event::room_created:
      if (!on_room_created(frame.room, asked && asked->kind == Asked::Kind::create_room, frame.is_private)) return;
      break;
    case Event::member_added:
    case Event::member_removed:
      if (!apply_membership_event(frame, asked)) return;
      break;
    case Event::room_deleted:
      if (!on_room_deleted(frame.room)) return;
      break;
    case Event::password_changed:
      on_password_changed(frame);
      break;
    case Event::session_ended:
      on_session_ended(frame);
      break;
    case Event::none:
    default:  // an event newer than this client: its text is still meant to be read
      break;
  }
  add_notice(frame.message);
}

void ViewModel::apply_chat_line(const MessageFrame& frame) {
  if (!frame.dm.empty()) return apply_dm_line(frame);
  const std::string& room = frame.room.empty() ? state_.current_room : frame.room;
  LogLine line{LogLine::Kind::chat, frame.user, std::string(frame.chat_text()), frame.id, frame.ts,
               mentioned(frame.mentions)};
  RoomLog& log = log_of(room);
  if (!log.add_chat(line)) return;  // already held: not news
  log.trim(options_.max_log_lines_per_room);
  note_new_line(room, line);
  if (arrivals_.size() == kMaxArrivals) arrivals_.erase(arrivals_.begin());
  arrivals_.push_back(Arrival{room, std::move(line), ""});
}

void ViewModel::apply_history(const HistoryFrame& frame) {
  // The answer to our page request echoes its id; entry and catch-up pages carry none.
  const std::optional<Asked> asked = pending_.take(frame.request_id);
  const bool answer = asked.has_value();
  const bool conversation = !frame.dm.empty();
  RoomLog& log = log_of(conversation ? dm_log_key(frame.dm) : frame.room);
  const bool entering = !conversation && !frame.room.empty() && frame.room == entering_room_;
  if (entering) entering_room_.clear();
  // A conversation's newest page, asked for when it is shown: as a room's entry page.
  const bool latest_page = entering || (conversation && answer && asked->before_id == 0);
  if (latest_page) {
    // The latest page of a room left a while ago: what was said meanwhile is not in it, and a log
    // with a hole would look complete. Older lines come back by scrolling up.
    const bool gap = frame.more && !frame.lines.empty() && log.newest_id() > 0 &&
                     frame.lines.front().id > log.newest_id();
    if (gap) log.drop_chat_lines();
  }
  // `more` speaks of the lines before the page's first one: it is news only if no line held is
  // older (catch-up pages after a resume start after lines we hold).
  const bool reaches_back = frame.lines.empty()
                                ? answer || log.oldest_id() == 0
                                : log.oldest_id() == 0 || frame.lines.front().id < log.oldest_id();
  log.merge(frame.lines);
  if (reaches_back) log.set_more(frame.more);
}

void ViewModel::apply_members(const MembersFrame& frame) {
  if (frame.room != state_.current_room) return;
  state_.members = frame.users;
  std::sort(state_.members.begin(), state_.members.end());
  state_.member_accounts = frame.accounts;
  std::sort(state_.member_accounts.begin(), state_.member_accounts.end());
}

namespace {

// Puts `name` in or out of a sorted list.
void keep_sorted(std::vector<std::string>& names, const std::string& name, bool in) {
  const auto at = std::lower_bound(names.begin(), names.end(), name);
  const bool there = at != names.end() && *at == name;
  if (in && !there) names.insert(at, name);
  if (!in && there) names.erase(at);
}

}  // namespace

void ViewModel::apply_presence(const PresenceFrame& frame) {
  if (frame.room != state_.current_room) return;
  keep_sorted(state_.members, frame.user, frame.joined);
  keep_sorted(state_.member_accounts, frame.user, frame.joined && frame.account);
}

void ViewModel::forget_members() {
  state_.members.clear();
  state_.member_accounts.clear();
}

// The connection is now in `room` (logged in, resumed or joined); its members follow, and its
// v2 lines when history_follows.
// A private room's members are asked for (its owner and member list are the room's).
void ViewModel::arrive_in(const std::string& room, bool history_follows) {
  if (room != state_.current_room || room != members_asked_for_) {
    state_.room_owner.clear();
    state_.room_members.clear();
    state_.member_error.clear();
    members_asked_for_.clear();
  }
  state_.current_room = room;
  forget_members();
  if (history_follows) entering_room_ = room;
  ask_for_room_members();
}

// The person chose a room: a conversation shown gives way to it.
void ViewModel::on_joined(const std::string& room) {
  arrive_in(room, true);
  state_.current_dm.clear();
  state_.room_error.clear();
}

// Someone else's new room joins the list quietly: a busy server's creations are not news. Ours
// is the one answering our create_room (its request_id), not any room of the same name.
bool ViewModel::on_room_created(const std::string& room, bool ours, bool is_private) {
  auto& rooms = state_.rooms;
  if (!room.empty() && std::find(rooms.begin(), rooms.end(), room) == rooms.end()) rooms.push_back(room);
  if (is_private && !room.empty() && !is_private_room(state_, room)) state_.private_rooms.push_back(room);
  if (!ours) return false;
  state_.room_error.clear();
  return true;
}

bool ViewModel::on_room_deleted(const std::string& room) {
  auto& rooms = state_.rooms;
  rooms.erase(std::remove(rooms.begin(), rooms.end(), room), rooms.end());
  auto& private_rooms = state_.private_rooms;
  private_rooms.erase(std::remove(private_rooms.begin(), private_rooms.end(), room), private_rooms.end());
  return room == state_.current_room;
}

bool ViewModel::create_room(std::string_view room) {
  if (!can_send(state_.room_error)) return false;
  auto refused = validate_room(room, options_.limits);
  const auto& rooms = state_.rooms;
  if (!refused && std::find(rooms.begin(), rooms.end(), room) != rooms.end()) {
    refused = Error{ErrorCode::room_exists, std::string(room)};
  }
  return submit(state_.room_error, refused, CreateRoom{std::string(room)},
                Asked{Asked::Kind::create_room, std::string(room)});
}

bool ViewModel::join_room(std::string_view room) {
  // Back from a conversation to the room the connection is in: nothing to ask the server.
  if (!state_.current_dm.empty() && room == state_.current_room) {
    state_.current_dm.clear();
    refresh_room_state();
    return true;
  }
  if (!can_send(state_.room_error)) return false;
  return submit(state_.room_error, validate_room(room, options_.limits), JoinRoom{std::string(room)},
                Asked{Asked::Kind::join_room, std::string(room)});
}

bool ViewModel::load_older() {
  const std::string key = shown_log_key();
  const std::string& dm = state_.current_dm;
  if (phase_ != Phase::online) return false;
  if (pending_.newest(Asked::Kind::history) || (dm.empty() && entering_room_ == key)) return false;  // one page at a time
  const RoomLog& log = log_of(key);
  if (!log.more() || log.oldest_id() <= 0) return false;
  const std::string room = dm.empty() ? key : "";
  send(History{room, log.oldest_id(), options_.older_page_lines, dm}, Asked{Asked::Kind::history, key, log.oldest_id()});
  refresh_room_state();
  return true;
}

std::vector<std::string> ViewModel::take_outgoing() { return std::exchange(outgoing_, {}); }

std::vector<ViewModel::Arrival> ViewModel::take_arrivals() { return std::exchange(arrivals_, {}); }

std::optional<SavedSession> ViewModel::take_session_to_save() {
  SavedSession current;
  if (!token_.empty()) {
    // While reconnecting, the room to resume into is still the one saved.
    current = SavedSession{state_.my_name, token_, phase_ == Phase::online ? state_.current_room : saved_.room,
                           state_.signed_in};
  }
  if (current == saved_) return std::nullopt;
  saved_ = current;
  return current;
}

const std::vector<LogLine>& ViewModel::visible_log() const {
  static const std::vector<LogLine> kEmpty;
  const auto found = logs_.find(shown_log_key());
  return found == logs_.end() ? kEmpty : found->second.lines();
}

void ViewModel::refresh_room_state() {
  const std::string key = shown_log_key();
  const auto found = logs_.find(key);
  state_.has_older = found != logs_.end() && found->second.more();
  const Asked* page = pending_.newest(Asked::Kind::history);
  state_.loading_older = page != nullptr && page->subject == key && page->before_id > 0;
  // Whatever changed what is shown (a line, a room chosen, the page seen again) may make it read.
  mark_shown_read();
  refresh_typing();
}

std::string ViewModel::shown_log_key() const {
  return state_.current_dm.empty() ? state_.current_room : dm_log_key(state_.current_dm);
}

RoomLog& ViewModel::log_of(const std::string& room) { return logs_[room]; }

void ViewModel::add_notice(std::string text, LogLine::Kind kind) {
  RoomLog& log = log_of(state_.current_room);
  log.add_notice(std::move(text), kind);
  log.trim(options_.max_log_lines_per_room);
}

}  // namespace chat::client
