// The ViewModel's accounts (docs/PROTOCOL.md, "Accounts"): signing in and creating an account,
// signing out, the name screen's form, and what an account's refusals and ended sessions mean.
// An account's session is a resume token like a guest's (view_model.cpp resumes it after a drop
// or a reload); what differs is here.
#include <utility>

#include "app/password_check.hpp"
#include "app/view_model.hpp"
#include "shared/validate.hpp"

namespace chat::client {
namespace {

constexpr const char* kNoAccounts = "This server has no accounts: join as a guest";
constexpr const char* kNameIsAnAccounts =
    "This name belongs to an account: enter its password to sign in, or join as a guest under another name";

}  // namespace

bool ViewModel::sign_in(std::string_view name, std::string_view password) {
  return send_account_login(name, password, Asked::Kind::sign_in);
}

bool ViewModel::create_account(std::string_view name, std::string_view password) {
  return send_account_login(name, password, Asked::Kind::create_account);
}

// The password goes into the frame and nowhere else: not the state, not the log, not the session.
bool ViewModel::send_account_login(std::string_view name, std::string_view password, Asked::Kind kind) {
  if (!next_phase(phase_, Step::account_login_sent)) return refuse(state_.login_error, not_now_reason());
  if (auto error = validate_name(name, options_.limits)) return refuse(state_.login_error, describe(*error));
  const bool creating = kind == Asked::Kind::create_account;
  if (auto problem = creating ? new_password_problem(password, name) : sign_in_password_problem(password)) {
    return refuse(state_.login_error, std::move(*problem));
  }
  move(Step::account_login_sent);
  state_.login_error.clear();
  state_.login_notice.clear();
  const std::string user(name);
  if (creating) {
    send(Register{user, std::string(password)}, Asked{kind, user});
  } else {
    send(PasswordLogin{user, std::string(password)}, Asked{kind, user});
  }
  return true;
}

// The session ends here at once: the token is forgotten (a reload now starts logged out) and the
// name given up; the server's `logged_out` only confirms it. Signing in again rejoins this room.
bool ViewModel::sign_out() {
  if (!state_.signed_in || !move(Step::logout_sent)) return refuse(state_.last_error, "not signed in");
  send(Logout{}, Asked{Asked::Kind::logout, state_.my_name});
  forget_private_lists();
  token_.clear();
  state_.signed_in = false;
  room_before_drop_ = state_.current_room;
  state_.my_name.clear();
  forget_members();
  state_.login_mode = LoginMode::sign_in;
  state_.login_error.clear();
  state_.login_notice = "You signed out.";
  return true;
}

void ViewModel::choose_login_mode(LoginMode mode) {
  state_.login_mode = mode;
  state_.login_notice.clear();
}

// bad_password, invalid_password, rate_limited, name_taken, ...: the server's sentence, at the
// form. A server that does not know `register` answers unknown_action.
void ViewModel::account_login_refused(const MessageFrame& frame) {
  move(Step::login_refused);
  if (*frame.error == ErrorCode::unknown_action) return no_accounts_here();
  state_.login_error = frame.message;
}

// A server without accounts ignores "password" and logs the connection in as a guest: its answer
// has no "account":true. That is no sign-in (nothing protects the name), so the person is told and
// chooses; joining as a guest then is a login under the name the connection already holds.
bool ViewModel::is_guest_answer_to_account_login(const MessageFrame& frame, const std::optional<Asked>& asked) const {
  const bool account_asked = asked && (asked->kind == Asked::Kind::sign_in || asked->kind == Asked::Kind::create_account);
  return account_asked && !frame.account && phase_ != Phase::online;
}

void ViewModel::no_accounts_here() {
  move(Step::login_refused);
  state_.login_mode = LoginMode::guest;
  refuse(state_.login_error, kNoAccounts);
}

// A guest login refused with "registered":true.
void ViewModel::name_is_an_accounts() {
  state_.login_mode = LoginMode::sign_in;
  refuse(state_.login_error, kNameIsAnAccounts);
}

// The account's session is over (close code 4001, or its token refused on resume): the token is
// forgotten and the name screen asks for the password, the name filled in.
void ViewModel::session_ended(std::string sentence) {
  forget_private_lists();
  token_.clear();
  state_.signed_in = false;
  state_.login_mode = LoginMode::sign_in;
  refuse(state_.login_error, std::move(sentence));
}

}  // namespace chat::client
