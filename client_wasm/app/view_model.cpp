// The ViewModel's session life: the connection, login, resume after a drop (logging in again only
// when the token is refused), the intents and the routing of refusals to the request they refuse.
// Which phase follows which is session_phase.cpp's; what a phase change means is here. Rooms,
// logs, members and older pages are view_model_rooms.cpp's: the two grow for different reasons.
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
// ... and with this one when its account session was ended (signed out elsewhere, the password
// changed, end_session): the token is dead.
constexpr int kCloseSessionEnded = 4001;

Connection connection_of(Phase phase) {
  if (phase == Phase::offline) return Connection::offline;
  if (phase == Phase::connecting) return Connection::connecting;
  return Connection::online;
}

}  // namespace

ViewModel::ViewModel() : ViewModel(Options{}) {}

ViewModel::ViewModel(Options options, SavedSession saved)
    : options_(std::move(options)), pending_(options_.max_pending_requests), saved_(std::move(saved)) {
  if (saved_.token.empty()) return;
  // A reload: show the chat under the old name while the first connection resumes it.
  token_ = saved_.token;
  state_.my_name = saved_.user;
  state_.signed_in = saved_.account;  // until the resume's answer says otherwise
  room_before_drop_ = saved_.room;
  if (!saved_.room.empty()) state_.current_room = saved_.room;
}

bool ViewModel::move(Step step) {
  const std::optional<Phase> next = next_phase(phase_, step);
  if (!next) return false;
  phase_ = *next;
  state_.connection = connection_of(phase_);
  state_.logged_in = phase_ == Phase::online;
  state_.relogging_in = phase_ == Phase::logging_back_in || phase_ == Phase::resuming;
  if (phase_ != Phase::logging_back_in) relogin_at_ = -1;  // that phase's timer
  return true;
}

bool ViewModel::take_connect_request() { return std::exchange(connect_requested_, false); }

void ViewModel::on_open(double now) {
  Step step = Step::opened_without_name;
  if (!token_.empty()) {
    step = Step::opened_with_token;
  } else if (!state_.my_name.empty() && state_.login_error.empty()) {
    step = Step::opened_with_name;
  }
  if (!move(step)) return;
  opened_at_ = now;
  entering_room_.clear();
  if (step == Step::opened_with_token) return resume();
  // The server puts every new connection there; logging in again rejoins room_before_drop_.
  state_.current_room = "general";
  if (step == Step::opened_with_name) log_back_in(now);
}

void ViewModel::on_close(double now, int close_code) {
  const bool was_open = state_.connection == Connection::online;
  const bool was_logged_in = phase_ == Phase::online;
  if (!move(Step::closed)) return;
  if (was_open && (was_logged_in || now - opened_at_ >= kStableConnectionSeconds)) {
    state_.failed_attempts = 0;
  }
  if (was_logged_in) room_before_drop_ = state_.current_room;
  if (close_code == kCloseSessionEnded) {
    session_ended("Your session was ended (signed out on another device, or the password changed): sign in again");
  } else if (close_code == kCloseReplaced) {
    // Our token resumed elsewhere (a duplicated tab): taking it back would close that one.
    token_.clear();
    refuse(state_.login_error, "This session continued in another window: choose a nickname");
  } else if (was_open) {
    add_notice("Connection lost: reconnecting...", LogLine::Kind::error);
  }
  const double unit = options_.random_unit ? options_.random_unit() : 0.0;
  state_.retry_at = now + options_.backoff.delay(state_.failed_attempts, unit);
  ++state_.failed_attempts;
  pending_.clear();   // their answers died with the socket
  read_marks_.connection_closed();
  state_.sessions_loading = false;
  members_asked_for_.clear();
  entering_room_.clear();
  outgoing_.clear();  // meant for the dead socket; every intent is re-checked against the state
  refresh_room_state();
}

void ViewModel::tick(double now) {
  if (phase_ == Phase::offline && now >= state_.retry_at && move(Step::retry_due)) {
    connect_requested_ = true;
  }
  if (phase_ == Phase::logging_back_in && relogin_at_ >= 0 && now >= relogin_at_) {
    relogin_at_ = -1;
    send(Login{state_.my_name, kCurrentVersion}, Asked{Asked::Kind::login, state_.my_name});
  }
  if (typing_board_.expire(now)) refresh_typing();
  send_owed_typing(now);
}

void ViewModel::on_text(std::string_view text, double now) {
  auto frame = decode_server_frame(text, options_.limits);
  if (!frame) {
    state_.last_error = "unreadable frame from the server: " + describe(frame.error());
    return;
  }
  apply(frame.value(), now);
}

// A refusal goes next to the control that made the request its request_id names. One naming no
// request still pending (none, or pushed out of PendingRequests) can only be told in the log.
void ViewModel::apply_refusal(const MessageFrame& frame, const std::optional<Asked>& asked, double now) {
  state_.last_error = frame.message;
  if (!asked) return add_notice(frame.message, LogLine::Kind::error);
  switch (asked->kind) {
    case Asked::Kind::login:
      return login_refused(frame, now);
    case Asked::Kind::sign_in:
    case Asked::Kind::create_account:
      return account_login_refused(frame);
    case Asked::Kind::logout:  // not_logged_in: out already, which is what was asked
      return;
    case Asked::Kind::resume:
      return resume_refused(frame, now);
    case Asked::Kind::send:
      state_.input_error = frame.message;
      return;
    case Asked::Kind::create_room:
    case Asked::Kind::join_room:
      state_.room_error = frame.message;
      return;
    case Asked::Kind::invite:
    case Asked::Kind::remove_member:
      state_.member_error = frame.message;
      return;
    case Asked::Kind::room_members:
      return add_notice(frame.message, LogLine::Kind::error);
    case Asked::Kind::history:  // taking it from pending_ ended the page request
      return add_notice(frame.message, LogLine::Kind::error);
    case Asked::Kind::mark_read:
    case Asked::Kind::typing:
      return unread_request_refused(*asked);
    case Asked::Kind::change_password:
    case Asked::Kind::sessions:
    case Asked::Kind::end_session:
      return account_request_refused(frame, *asked);
  }
}

void ViewModel::login_refused(const MessageFrame& frame, double now) {
  // An account owns the name: no retry will get it; its owner signs in with the password.
  if (frame.registered && move(Step::login_refused)) return name_is_an_accounts();
  const bool old_connection_may_linger =
      phase_ == Phase::logging_back_in && *frame.error == ErrorCode::name_taken && now < relogin_deadline_;
  if (old_connection_may_linger) {
    relogin_at_ = now + options_.relogin_retry_seconds;
    return;
  }
  move(Step::login_refused);
  state_.login_error = frame.message;
}

void ViewModel::resume_refused(const MessageFrame& frame, double now) {
  const ErrorCode code = *frame.error;
  // A passing failure (store, rate limit): the token may still be good. Told, and kept.
  if (code != ErrorCode::bad_token && code != ErrorCode::name_taken) {
    return add_notice(frame.message, LogLine::Kind::error);
  }
  token_.clear();
  // An account's session that ended while we were away: its name is the account's, not free.
  if (code == ErrorCode::bad_token && state_.signed_in) {
    move(Step::login_refused);
    return session_ended("Your session has ended: sign in again");
  }
  // bad_token: the server lost or never had the token; the name may still be free.
  if (code == ErrorCode::bad_token && !state_.my_name.empty() && move(Step::token_refused)) {
    return log_back_in(now);
  }
  move(Step::login_refused);
  state_.login_error = frame.message;
}

void ViewModel::on_logged_in(const MessageFrame& frame, const std::optional<Asked>& asked) {
  const bool arriving = phase_ != Phase::online;  // else a rename
  if (is_guest_answer_to_account_login(frame, asked)) return no_accounts_here();
  if (!move(Step::logged_in)) return;
  state_.signed_in = frame.account;
  accept_identity(frame.user.empty() && asked ? asked->subject : frame.user, frame.token);
  // A connection logs in where the server put it (a failed resume moved none): general.
  if (arriving) arrive_in("general", frame.version >= kCurrentVersion);
  add_notice(frame.message);
  const std::string room = std::exchange(room_before_drop_, {});
  if (!room.empty() && room != state_.current_room) send(JoinRoom{room}, Asked{Asked::Kind::join_room, room});
  // Lines of a conversation shown while the connection was down are not caught up by the server.
  if (!state_.current_dm.empty()) ask_for_conversation_page(state_.current_dm);
}

void ViewModel::on_resumed(const MessageFrame& frame) {
  if (!move(Step::resumed)) return;
  state_.signed_in = frame.account;
  accept_identity(frame.user, frame.token);
  const std::string room = frame.room.empty() ? resume_room_ : frame.room;
  // Placed elsewhere (the room is gone), or nothing held: the history is a latest page, not the
  // lines after the ones we hold.
  arrive_in(room, resume_after_id_ == 0 || room != resume_room_);
  room_before_drop_.clear();
  // The server's words are its welcome; for the reader this is a reconnection.
  add_notice("Reconnected as " + state_.my_name + ".");
  // A resume catches up the current room only (docs/ACCOUNTS.md): the conversation shown is read again.
  if (!state_.current_dm.empty()) ask_for_conversation_page(state_.current_dm);
}

// What a login and a resume both mean once accepted: the name (and maybe a new token) is ours.
void ViewModel::accept_identity(const std::string& name, const std::string& token) {
  if (!name.empty()) state_.my_name = name;
  if (!token.empty()) token_ = token;
  state_.failed_attempts = 0;
  state_.login_error.clear();
  state_.login_notice.clear();
  clear_stale_errors();
}

// Refusals made while the connection was down ("not connected") mean nothing once it is back.
void ViewModel::clear_stale_errors() {
  state_.input_error.clear();
  state_.room_error.clear();
  state_.last_error.clear();
}

void ViewModel::log_back_in(double now) {
  relogin_deadline_ = now + options_.relogin_window_seconds;
  send(Login{state_.my_name, kCurrentVersion}, Asked{Asked::Kind::login, state_.my_name});
}

void ViewModel::resume() {
  resume_room_ = room_before_drop_.empty() ? state_.current_room : room_before_drop_;
  resume_after_id_ = log_of(resume_room_).newest_id();
  state_.current_room = resume_room_;
  send(Resume{token_, resume_room_, resume_after_id_}, Asked{Asked::Kind::resume, state_.my_name});
}

bool ViewModel::login(std::string_view name) {
  if (!next_phase(phase_, Step::login_sent)) return refuse(state_.login_error, not_now_reason());
  if (auto error = validate_name(name, options_.limits)) {
    return refuse(state_.login_error, describe(*error));
  }
  move(Step::login_sent);
  state_.login_error.clear();
  state_.login_notice.clear();
  send(Login{std::string(name), kCurrentVersion}, Asked{Asked::Kind::login, std::string(name)});
  return true;
}

bool ViewModel::send_message(std::string_view text) {
  if (!can_send(state_.input_error)) return false;
  typing_owed_for_.clear();  // the line says it all
  return submit(state_.input_error, validate_text(text, options_.limits),
                SendMessage{std::string(text), state_.current_dm}, Asked{Asked::Kind::send, ""});
}

// Shows the shared rules' refusal in the intent's error field, or clears the field and sends.
bool ViewModel::submit(std::string& error_field, const std::optional<Error>& refused, const ClientFrame& frame,
                       Asked asked) {
  if (refused) return refuse(error_field, describe(*refused));
  error_field.clear();
  send(frame, std::move(asked));
  return true;
}

bool ViewModel::can_send(std::string& error_field) {
  if (phase_ == Phase::online) return true;
  return refuse(error_field, "not connected: nothing was sent");
}

// Why a login or a sign-in cannot be sent in this phase.
std::string ViewModel::not_now_reason() const {
  if (phase_ == Phase::online) return "already logged in";
  if (phase_ == Phase::resuming) return "logging back in: try again in a moment";
  return "not connected yet: try again in a moment";
}

bool ViewModel::refuse(std::string& error_field, std::string reason) {
  error_field = reason;
  state_.last_error = std::move(reason);
  return false;
}

// Every frame the client sends is a request with an id, so that its answer can name it.
void ViewModel::send(const ClientFrame& frame, Asked asked) {
  outgoing_.push_back(encode(frame, pending_.file(std::move(asked))));
}

}  // namespace chat::client
