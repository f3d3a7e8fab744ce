// The client's state machine: connection life, login (and logging back in), rooms, chat log.
#include "app/view_model.hpp"

#include <algorithm>
#include <utility>

#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat::client {
namespace {

// A connection that lived this long counts as working: the next drop restarts the backoff.
constexpr double kStableConnectionSeconds = 5.0;

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
ViewModel::ViewModel(Options options) : options_(std::move(options)) {}

bool ViewModel::take_connect_request() { return std::exchange(connect_requested_, false); }

void ViewModel::on_open(double now) {
  state_.connection = Connection::online;
  state_.logged_in = false;
  state_.current_room = "general";  // where the server puts every new connection
  opened_at_ = now;
  if (state_.my_name.empty()) return;
  state_.relogging_in = true;
  relogin_deadline_ = now + options_.relogin_window_seconds;
  queue(Login{state_.my_name});
}

void ViewModel::on_close(double now) {
  const bool was_online = state_.connection == Connection::online;
  if (was_online && (state_.logged_in || now - opened_at_ >= kStableConnectionSeconds)) {
    state_.failed_attempts = 0;
  }
  if (state_.logged_in) room_before_drop_ = state_.current_room;
  if (was_online) add_notice("Connection lost: reconnecting...", LogLine::Kind::error);
  state_.retry_at = now + options_.backoff.delay(state_.failed_attempts);
  ++state_.failed_attempts;
  state_.connection = Connection::offline;
  state_.logged_in = false;
  state_.relogging_in = false;
  relogin_at_ = -1;
  outgoing_.clear();  // meant for the dead socket; every intent is re-checked against the state
}

void ViewModel::tick(double now) {
  if (state_.connection == Connection::offline && now >= state_.retry_at) {
    state_.connection = Connection::connecting;
    connect_requested_ = true;
  }
  if (relogin_at_ >= 0 && now >= relogin_at_ && state_.connection == Connection::online) {
    relogin_at_ = -1;
    queue(Login{state_.my_name});
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
  }
  // Other frames (history, members, presence) answer opt-in requests this client never makes.
}

void ViewModel::apply_message(const MessageFrame& frame, double now) {
  if (frame.error) return apply_refusal(frame, now);
  switch (frame.event) {
    case Event::chat: {
      const std::string& room = frame.room.empty() ? state_.current_room : frame.room;
      add_line(room, LogLine{LogLine::Kind::chat, frame.user, std::string(frame.chat_text())});
      return;
    }
    case Event::logged_in:
      return on_logged_in(frame);
    case Event::joined:
      if (!frame.room.empty()) state_.current_room = frame.room;
      state_.room_error.clear();
      break;
    case Event::room_created:
      state_.room_error.clear();
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
  if (is_login_refusal(code)) {
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

void ViewModel::on_logged_in(const MessageFrame& frame) {
  state_.my_name = frame.user.empty() ? pending_login_ : frame.user;
  state_.logged_in = true;
  state_.relogging_in = false;
  state_.failed_attempts = 0;
  state_.login_error.clear();
  relogin_at_ = -1;
  add_notice(frame.message);
  if (!room_before_drop_.empty() && room_before_drop_ != state_.current_room) {
    queue(JoinRoom{room_before_drop_});
  }
  room_before_drop_.clear();
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
  queue(Login{pending_login_});
  return true;
}

bool ViewModel::send_message(std::string_view text) {
  if (!can_send(state_.input_error)) return false;
  if (auto error = validate_text(text, options_.limits)) {
    return refuse(state_.input_error, describe(*error));
  }
  state_.input_error.clear();
  queue(SendMessage{std::string(text)});
  return true;
}

bool ViewModel::create_room(std::string_view room) {
  if (!can_send(state_.room_error)) return false;
  if (auto error = validate_room(room, options_.limits)) {
    return refuse(state_.room_error, describe(*error));
  }
  const auto& rooms = state_.rooms;
  if (std::find(rooms.begin(), rooms.end(), room) != rooms.end()) {
    return refuse(state_.room_error, describe(Error{ErrorCode::room_exists, std::string(room)}));
  }
  state_.room_error.clear();
  queue(CreateRoom{std::string(room)});
  return true;
}

bool ViewModel::join_room(std::string_view room) {
  if (!can_send(state_.room_error)) return false;
  if (auto error = validate_room(room, options_.limits)) {
    return refuse(state_.room_error, describe(*error));
  }
  state_.room_error.clear();
  queue(JoinRoom{std::string(room)});
  return true;
}

std::vector<std::string> ViewModel::take_outgoing() { return std::exchange(outgoing_, {}); }

const std::vector<LogLine>& ViewModel::visible_log() const {
  static const std::vector<LogLine> kEmpty;
  const auto found = logs_.find(state_.current_room);
  return found == logs_.end() ? kEmpty : found->second;
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

void ViewModel::add_line(const std::string& room, LogLine line) {
  auto& lines = logs_[room];
  lines.push_back(std::move(line));
  if (lines.size() > options_.max_log_lines_per_room) {
    lines.erase(lines.begin(), lines.begin() + (lines.size() - options_.max_log_lines_per_room));
  }
}

void ViewModel::add_notice(std::string text, LogLine::Kind kind) {
  add_line(state_.current_room, LogLine{kind, {}, std::move(text)});
}

}  // namespace chat::client
