// The client's state machine: connection life, login, resume after a drop (logging in again only
// when the token is refused), rooms, per-room logs, members, older pages.
#include "app/view_model.hpp"

#include <algorithm>
#include <utility>

#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat::client {
namespace {

// A connection that lived this long counts as working: the next drop restarts the backoff.
constexpr double kStableConnectionSeconds = 5.0;
// The server closes a connection with this code when the same token resumed on another one.
constexpr int kCloseReplaced = 4000;

bool is_login_refusal(ErrorCode code) {
  return code == ErrorCode::name_taken || code == ErrorCode::invalid_name;
}
bool is_room_refusal(ErrorCode code) {
  return code == ErrorCode::invalid_room || code == ErrorCode::room_exists ||
         code == ErrorCode::no_such_room;
}
bool is_text_refusal(ErrorCode code) {
  return code == ErrorCode::empty_message || code == ErrorCode::message_too_long ||
         code == ErrorCode::invalid_message;
}

}  // namespace

ViewModel::ViewModel() : ViewModel(Options{}) {}

ViewModel::ViewModel(Options options, SavedSession saved)
    : options_(std::move(options)), saved_(std::move(saved)) {
  if (saved_.token.empty()) return;
  // A reload: show the chat under the old name while the first connection resumes it.
  token_ = saved_.token;
  state_.my_name = saved_.user;
  room_before_drop_ = saved_.room;
  if (!saved_.room.empty()) state_.current_room = saved_.room;
}

bool ViewModel::take_connect_request() { return std::exchange(connect_requested_, false); }

void ViewModel::on_open(double now) {
  state_.connection = Connection::online;
  state_.logged_in = false;
  opened_at_ = now;
  entering_room_.clear();
  older_request_.reset();
  if (!token_.empty()) return resume();
  // The server puts every new connection there; logging in again rejoins room_before_drop_.
  state_.current_room = "general";
  if (state_.my_name.empty() || !state_.login_error.empty()) return;
  start_login_again(now);
}

void ViewModel::on_close(double now, int close_code) {
  const bool was_online = state_.connection == Connection::online;
  if (was_online && (state_.logged_in || now - opened_at_ >= kStableConnectionSeconds)) {
    state_.failed_attempts = 0;
  }
  if (state_.logged_in) room_before_drop_ = state_.current_room;
  if (close_code == kCloseReplaced) {
    // Our token resumed elsewhere (a duplicated tab): taking it back would close that one.
    forget_token();
    refuse(state_.login_error, "This session continued in another window: choose a nickname");
  } else if (was_online) {
    add_notice("Connection lost: reconnecting...", LogLine::Kind::error);
  }
  const double unit = options_.random_unit ? options_.random_unit() : 0.0;
  state_.retry_at = now + options_.backoff.delay(state_.failed_attempts, unit);
  ++state_.failed_attempts;
  state_.connection = Connection::offline;
  state_.logged_in = false;
  state_.relogging_in = false;
  resuming_ = false;
  relogin_at_ = -1;
  older_request_.reset();
  entering_room_.clear();
  outgoing_.clear();  // meant for the dead socket; every intent is re-checked against the state
  refresh_room_state();
}

void ViewModel::tick(double now) {
  if (state_.connection == Connection::offline && now >= state_.retry_at) {
    state_.connection = Connection::connecting;
    connect_requested_ = true;
  }
  if (relogin_at_ >= 0 && now >= relogin_at_ && state_.connection == Connection::online) {
    relogin_at_ = -1;
    queue(Login{state_.my_name, kCurrentVersion});
  }
}

void ViewModel::on_text(std::string_view text, double now) {
  auto frame = decode_server_frame(text, options_.limits);
  if (!frame) {
    state_.last_error = "unreadable frame from the server: " + describe(frame.error());
    return;
  }
  apply(frame.value(), now);
}

void ViewModel::apply(const ServerFrame& frame, double now) {
  if (const auto* message = std::get_if<MessageFrame>(&frame)) {
    apply_message(*message, now);
  } else if (const auto* rooms = std::get_if<RoomsFrame>(&frame)) {
    state_.rooms = rooms->rooms;
  } else if (const auto* history = std::get_if<HistoryFrame>(&frame)) {
    apply_history(*history);
  } else if (const auto* members = std::get_if<MembersFrame>(&frame)) {
    apply_members(*members);
  } else if (const auto* presence = std::get_if<PresenceFrame>(&frame)) {
    apply_presence(*presence);
  }
  refresh_room_state();
}

void ViewModel::apply_message(const MessageFrame& frame, double now) {
  if (frame.error) return apply_refusal(frame, now);
  switch (frame.event) {
    case Event::chat: {
      const std::string& room = frame.room.empty() ? state_.current_room : frame.room;
      LogLine line{LogLine::Kind::chat, frame.user, std::string(frame.chat_text()), frame.id, frame.ts};
      RoomLog& log = log_of(room);
      if (!log.add_chat(line)) return;  // already held: not news
      log.trim(options_.max_log_lines_per_room);
      if (arrivals_.size() == kMaxArrivals) arrivals_.erase(arrivals_.begin());
      arrivals_.push_back(Arrival{room, std::move(line)});
      return;
    }
    case Event::logged_in:
      return on_logged_in(frame);
    case Event::resumed:
      return on_resumed(frame);
    case Event::joined:
      if (!frame.room.empty()) on_joined(frame.room);
      break;
    case Event::room_created:
      if (!on_room_created(frame.room)) return;
      break;
    case Event::room_deleted:
      if (!on_room_deleted(frame.room)) return;
      break;
    case Event::none:
    default:  // an event newer than this client: its text is still meant to be read
      break;
  }
  add_notice(frame.message);
}

void ViewModel::apply_refusal(const MessageFrame& frame, double now) {
  const ErrorCode code = *frame.error;
  state_.last_error = frame.message;
  // Refusals carry no request id here, so a failed page request is recognised by elimination.
  if (!is_login_refusal(code) && !is_text_refusal(code)) older_request_.reset();
  if (resuming_ && (code == ErrorCode::bad_token || code == ErrorCode::name_taken)) {
    resuming_ = false;
    forget_token();
    // bad_token: the server lost or never had the token; the name may still be free.
    if (code == ErrorCode::bad_token && !state_.my_name.empty()) return start_login_again(now);
    state_.relogging_in = false;
    state_.login_error = frame.message;
  } else if (is_login_refusal(code)) {
    if (state_.relogging_in && code == ErrorCode::name_taken && now < relogin_deadline_) {
      relogin_at_ = now + options_.relogin_retry_seconds;  // our old connection may linger
      return;
    }
    state_.relogging_in = false;
    state_.login_error = frame.message;
  } else if (is_room_refusal(code)) {
    state_.room_error = frame.message;
  } else if (is_text_refusal(code)) {
    state_.input_error = frame.message;
  } else {
    add_notice(frame.message, LogLine::Kind::error);
  }
}

void ViewModel::apply_history(const HistoryFrame& frame) {
  RoomLog& log = log_of(frame.room);
  if (frame.room == entering_room_) {
    entering_room_.clear();
    // The latest page of a room left a while ago: what was said meanwhile is not in it, and a log
    // with a hole would look complete. Older lines come back by scrolling up.
    const bool gap = frame.more && !frame.lines.empty() && log.newest_id() > 0 &&
                     frame.lines.front().id > log.newest_id();
    if (gap) log.drop_chat_lines();
  }
  const bool answer = answers_older_request(frame);
  if (answer) older_request_.reset();
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
}

void ViewModel::apply_presence(const PresenceFrame& frame) {
  if (frame.room != state_.current_room) return;
  auto& members = state_.members;
  const auto at = std::lower_bound(members.begin(), members.end(), frame.user);
  const bool present = at != members.end() && *at == frame.user;
  if (frame.joined && !present) members.insert(at, frame.user);
  if (!frame.joined && present) members.erase(at);
}

void ViewModel::on_logged_in(const MessageFrame& frame) {
  const bool arriving = !state_.logged_in;
  state_.my_name = frame.user.empty() ? pending_login_ : frame.user;
  state_.logged_in = true;
  state_.relogging_in = false;
  state_.failed_attempts = 0;
  state_.login_error.clear();
  relogin_at_ = -1;
  if (!frame.token.empty()) token_ = frame.token;
  if (arriving) {
    state_.current_room = "general";  // where a connection logs in (a failed resume moved none)
    state_.members.clear();
    if (frame.version >= kCurrentVersion) entering_room_ = state_.current_room;  // its lines follow
  }
  clear_stale_errors();
  add_notice(frame.message);
  if (!room_before_drop_.empty() && room_before_drop_ != state_.current_room) {
    queue(JoinRoom{room_before_drop_});
  }
  room_before_drop_.clear();
}

void ViewModel::on_resumed(const MessageFrame& frame) {
  resuming_ = false;
  if (!frame.user.empty()) state_.my_name = frame.user;
  if (!frame.token.empty()) token_ = frame.token;
  state_.logged_in = true;
  state_.relogging_in = false;
  state_.failed_attempts = 0;
  state_.login_error.clear();
  state_.current_room = frame.room.empty() ? resume_room_ : frame.room;
  state_.members.clear();
  // Placed elsewhere (the room is gone), or nothing held: the history is a latest page, not the
  // lines after the ones we hold.
  if (resume_after_id_ == 0 || state_.current_room != resume_room_) {
    entering_room_ = state_.current_room;
  }
  room_before_drop_.clear();
  clear_stale_errors();
  // The server's words are its welcome; for the reader this is a reconnection.
  add_notice("Reconnected as " + state_.my_name + ".");
}

// Refusals made while the connection was down ("not connected") mean nothing once it is back.
void ViewModel::clear_stale_errors() {
  state_.input_error.clear();
  state_.room_error.clear();
  state_.last_error.clear();
}

void ViewModel::on_joined(const std::string& room) {
  state_.current_room = room;
  state_.room_error.clear();
  state_.members.clear();
  entering_room_ = room;
}

// Someone else's new room joins the list quietly: a busy server's creations are not news.
bool ViewModel::on_room_created(const std::string& room) {
  auto& rooms = state_.rooms;
  if (!room.empty() && std::find(rooms.begin(), rooms.end(), room) == rooms.end()) rooms.push_back(room);
  if (room != creating_room_) return false;
  creating_room_.clear();
  state_.room_error.clear();
  return true;
}

bool ViewModel::on_room_deleted(const std::string& room) {
  auto& rooms = state_.rooms;
  rooms.erase(std::remove(rooms.begin(), rooms.end(), room), rooms.end());
  return room == state_.current_room;
}

void ViewModel::start_login_again(double now) {
  state_.relogging_in = true;
  relogin_deadline_ = now + options_.relogin_window_seconds;
  queue(Login{state_.my_name, kCurrentVersion});
}

void ViewModel::resume() {
  resume_room_ = room_before_drop_.empty() ? state_.current_room : room_before_drop_;
  resume_after_id_ = log_of(resume_room_).newest_id();
  state_.current_room = resume_room_;
  state_.relogging_in = true;
  resuming_ = true;
  queue(Resume{token_, resume_room_, resume_after_id_});
}

void ViewModel::forget_token() { token_.clear(); }

bool ViewModel::answers_older_request(const HistoryFrame& frame) const {
  if (!older_request_ || frame.room != older_request_->room) return false;
  return frame.lines.empty() || frame.lines.back().id < older_request_->before_id;
}

bool ViewModel::login(std::string_view name) {
  if (state_.connection != Connection::online) {
    return refuse(state_.login_error, "not connected yet: try again in a moment");
  }
  if (auto error = validate_name(name, options_.limits)) {
    return refuse(state_.login_error, describe(*error));
  }
  pending_login_ = std::string(name);
  state_.relogging_in = false;
  relogin_at_ = -1;
  state_.login_error.clear();
  queue(Login{pending_login_, kCurrentVersion});
  return true;
}

bool ViewModel::send_message(std::string_view text) {
  if (!can_send(state_.input_error)) return false;
  return submit(state_.input_error, validate_text(text, options_.limits), SendMessage{std::string(text)});
}

bool ViewModel::create_room(std::string_view room) {
  if (!can_send(state_.room_error)) return false;
  auto refused = validate_room(room, options_.limits);
  const auto& rooms = state_.rooms;
  if (!refused && std::find(rooms.begin(), rooms.end(), room) != rooms.end()) {
    refused = Error{ErrorCode::room_exists, std::string(room)};
  }
  if (!refused) creating_room_ = std::string(room);
  return submit(state_.room_error, refused, CreateRoom{std::string(room)});
}

bool ViewModel::join_room(std::string_view room) {
  if (!can_send(state_.room_error)) return false;
  return submit(state_.room_error, validate_room(room, options_.limits), JoinRoom{std::string(room)});
}

// Shows the shared rules' refusal in the intent's error field, or clears the field and sends.
bool ViewModel::submit(std::string& error_field, const std::optional<Error>& refused, const ClientFrame& frame) {
  if (refused) return refuse(error_field, describe(*refused));
  error_field.clear();
  queue(frame);
  return true;
}

bool ViewModel::load_older() {
  const std::string& room = state_.current_room;
  if (state_.connection != Connection::online || !state_.logged_in) return false;
  if (older_request_ || entering_room_ == room) return false;  // one page at a time
  const RoomLog& log = log_of(room);
  if (!log.more() || log.oldest_id() <= 0) return false;
  older_request_ = OlderRequest{room, log.oldest_id()};
  queue(History{room, log.oldest_id(), options_.older_page_lines});
  refresh_room_state();
  return true;
}

std::vector<std::string> ViewModel::take_outgoing() { return std::exchange(outgoing_, {}); }

std::vector<ViewModel::Arrival> ViewModel::take_arrivals() { return std::exchange(arrivals_, {}); }

std::optional<SavedSession> ViewModel::take_session_to_save() {
  SavedSession current;
  if (!token_.empty()) {
    // While reconnecting, the room to resume into is still the one saved.
    current = SavedSession{state_.my_name, token_,
                           state_.logged_in ? state_.current_room : saved_.room};
  }
  if (current == saved_) return std::nullopt;
  saved_ = current;
  return current;
}

const std::vector<LogLine>& ViewModel::visible_log() const {
  static const std::vector<LogLine> kEmpty;
  const auto found = logs_.find(state_.current_room);
  return found == logs_.end() ? kEmpty : found->second.lines();
}

void ViewModel::refresh_room_state() {
  const auto found = logs_.find(state_.current_room);
  state_.has_older = found != logs_.end() && found->second.more();
  state_.loading_older = older_request_ && older_request_->room == state_.current_room;
}

bool ViewModel::can_send(std::string& error_field) {
  if (state_.connection == Connection::online && state_.logged_in) return true;
  return refuse(error_field, "not connected: nothing was sent");
}

bool ViewModel::refuse(std::string& error_field, std::string reason) {
  error_field = reason;
  state_.last_error = std::move(reason);
  return false;
}

void ViewModel::queue(const ClientFrame& frame) { outgoing_.push_back(encode(frame)); }

RoomLog& ViewModel::log_of(const std::string& room) { return logs_[room]; }

void ViewModel::add_notice(std::string text, LogLine::Kind kind) {
  RoomLog& log = log_of(state_.current_room);
  log.add_notice(std::move(text), kind);
  log.trim(options_.max_log_lines_per_room);
}

}  // namespace chat::client
