// The client's connection and login life as one explicit state, and every legal way it moves, in
// one pure function. ViewModel does what each move means (messages, timers, the view's flags);
// which moves exist is decided only here, so a new event cannot quietly add a path.
#pragma once

#include <optional>

namespace chat::client {

enum class Phase {
  offline,          // no socket; the next attempt is due at ViewState::retry_at
  connecting,       // a socket is being opened
  choosing_name,    // open, not logged in: the user picks a nickname or signs in (or fixes a refusal)
  logging_in,       // the user's login, sign-in or new account was sent
  logging_back_in,  // our old name, sent by ourselves after a reconnect without a usable token
  resuming,         // a resume with our token was sent
  online,           // logged in (by login or resume)
};

enum class Step {
  retry_due,            // offline and the backoff delay is over
  opened_with_token,    // the socket opened and a resume token is held
  opened_with_name,     // the socket opened; a name to take back but no token
  opened_without_name,  // the socket opened; the user must choose a name
  login_sent,           // the user asked for a name (a rename when online)
  account_login_sent,   // the user signed in to an account or created one (password sent)
  logout_sent,          // the user signed out of the account: the connection stays, logged out
  logged_in,            // the server accepted a login
  resumed,              // the server accepted the resume
  login_refused,        // a login or resume was refused for good: the user chooses
  token_refused,        // the resume's token is unknown: log in again under the same name
  closed,               // the socket closed (or failed to open)
};

// The phase `step` leads to from `from`; none when the step makes no sense there (the caller
// ignores it: e.g. a `resumed` answer to no resume).
std::optional<Phase> next_phase(Phase from, Step step);

const char* to_string(Phase phase);
const char* to_string(Step step);

}  // namespace chat::client
