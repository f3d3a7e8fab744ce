// The ViewModel's account screen (docs/PROTOCOL.md, "Accounts"): changing the password (the
// current one and the new one; the server's refusal, e.g. invalid_password's rule, shown at the
// form) and the account's sessions, listed when the screen opens, one ended by its id. Signing in
// and out is view_model_accounts.cpp's.
#include <algorithm>
#include <utility>

#include "app/password_check.hpp"
#include "app/view_model.hpp"

namespace chat::client {
namespace {

// The server lists at most 10; a bound on what a misbehaving one could make the page hold.
constexpr std::size_t kMaxSessionsShown = 100;

}  // namespace

bool ViewModel::show_account(bool open) {
  if (!open) {
    close_account_screen();
    refresh_room_state();  // the log is looked at again
    return true;
  }
  if (!state_.signed_in) return refuse(state_.last_error, "The account screen is for accounts: sign in first");
  if (!can_send(state_.sessions_error)) return false;
  state_.account_open = true;
  state_.password_error.clear();
  state_.password_notice.clear();
  state_.sessions_error.clear();
  ask_for_sessions();
  return true;
}

void ViewModel::close_account_screen() {
  state_.account_open = false;
  state_.password_error.clear();
  state_.password_notice.clear();
  state_.sessions.clear();
  state_.sessions_error.clear();
  state_.sessions_loading = false;
}

// Both passwords go into the frame and nowhere else.
bool ViewModel::change_password(std::string_view current, std::string_view new_password) {
  if (!can_send(state_.password_error)) return false;
  if (!state_.signed_in) return refuse(state_.password_error, "Only an account has a password: sign in first");
  if (auto problem = sign_in_password_problem(current)) {
    return refuse(state_.password_error, "Enter your current password");
  }
  if (auto problem = new_password_problem(new_password, state_.my_name)) {
    return refuse(state_.password_error, std::move(*problem));
  }
  state_.password_error.clear();
  state_.password_notice.clear();
  send(ChangePassword{std::string(current), std::string(new_password)}, Asked{Asked::Kind::change_password, ""});
  return true;
}

bool ViewModel::end_session(std::string_view id) {
  if (!can_send(state_.sessions_error)) return false;
  if (!state_.signed_in) return refuse(state_.sessions_error, "Only an account has sessions: sign in first");
  if (id.empty()) return refuse(state_.sessions_error, "No such session");
  state_.sessions_error.clear();
  send(EndSession{std::string(id)}, Asked{Asked::Kind::end_session, std::string(id)});
  return true;
}

void ViewModel::ask_for_sessions() {
  state_.sessions_loading = true;
  send(ListSessions{}, Asked{Asked::Kind::sessions, ""});
}

// The refusal is shown where the request was made: at the password form, or at the devices.
void ViewModel::account_request_refused(const MessageFrame& frame, const Asked& asked) {
  if (asked.kind == Asked::Kind::change_password) {
    state_.password_error = frame.message;
    return;
  }
  if (asked.kind == Asked::Kind::sessions) state_.sessions_loading = false;
  state_.sessions_error = frame.message;
}

void ViewModel::apply_sessions(const SessionsFrame& frame) {
  pending_.take(frame.request_id);
  if (!state_.account_open) return;  // closed since it was asked for
  state_.sessions_loading = false;
  state_.sessions_error.clear();
  state_.sessions.clear();
  for (const auto& session : frame.sessions) {
    if (state_.sessions.size() == kMaxSessionsShown) break;
    state_.sessions.push_back(SessionRow{session.id, session.created_ms, session.last_used_ms, session.current});
  }
}

// Every other session ended with the change: the list is asked for again.
void ViewModel::on_password_changed(const MessageFrame& frame) {
  state_.password_error.clear();
  state_.password_notice = frame.message.empty() ? "Password changed." : frame.message;
  if (state_.account_open && phase_ == Phase::online) ask_for_sessions();
}

void ViewModel::on_session_ended(const MessageFrame& frame) {
  auto& rows = state_.sessions;
  rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const SessionRow& row) { return row.id == frame.session; }),
             rows.end());
  state_.sessions_error.clear();
}

}  // namespace chat::client
