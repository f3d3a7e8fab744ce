// The transition table of Phase (see session_phase.hpp).
#include "app/session_phase.hpp"

namespace chat::client {
namespace {

// The socket is open and frames can be sent.
bool is_open(Phase phase) { return phase != Phase::offline && phase != Phase::connecting; }

// Where a login answer may come: after any login we sent. choosing_name too: the user may have
// sent a second name before the first one's refusal came back; the server is the authority.
bool awaits_login_answer(Phase phase) {
  return phase == Phase::choosing_name || phase == Phase::logging_in || phase == Phase::logging_back_in ||
         phase == Phase::online;
}

}  // namespace

std::optional<Phase> next_phase(Phase from, Step step) {
  switch (step) {
    case Step::retry_due:
      if (from == Phase::offline) return Phase::connecting;
      break;
    case Step::opened_with_token:
      if (from == Phase::connecting) return Phase::resuming;
      break;
    case Step::opened_with_name:
      if (from == Phase::connecting) return Phase::logging_back_in;
      break;
    case Step::opened_without_name:
      if (from == Phase::connecting) return Phase::choosing_name;
      break;
    case Step::login_sent:
      // Not while resuming: the resume's answer would then speak of another name.
      if (from == Phase::online) return Phase::online;  // a rename
      if (is_open(from) && from != Phase::resuming) return Phase::logging_in;
      break;
    case Step::account_login_sent:
      // Not a rename: an account's sign-in is offered only to a logged-out connection.
      if (is_open(from) && from != Phase::resuming && from != Phase::online) return Phase::logging_in;
      break;
    case Step::logout_sent:
      // The name is given up at once: the answer is only the server's word that it was.
      if (from == Phase::online) return Phase::choosing_name;
      break;
    case Step::logged_in:
      if (awaits_login_answer(from)) return Phase::online;
      break;
    case Step::resumed:
      if (from == Phase::resuming) return Phase::online;
      break;
    case Step::login_refused:
      if (from == Phase::online) return Phase::online;  // a refused rename keeps the old name
      // choosing_name: the refusal of an earlier name, when the user sent another one meanwhile.
      if (is_open(from)) return Phase::choosing_name;
      break;
    case Step::token_refused:
      if (from == Phase::resuming) return Phase::logging_back_in;
      break;
    case Step::closed:
      if (from != Phase::offline) return Phase::offline;
      break;
  }
  return std::nullopt;
}

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::offline: return "offline";
    case Phase::connecting: return "connecting";
    case Phase::choosing_name: return "choosing_name";
    case Phase::logging_in: return "logging_in";
    case Phase::logging_back_in: return "logging_back_in";
    case Phase::resuming: return "resuming";
    case Phase::online: return "online";
  }
  return "?";
}

const char* to_string(Step step) {
  switch (step) {
    case Step::retry_due: return "retry_due";
    case Step::opened_with_token: return "opened_with_token";
    case Step::opened_with_name: return "opened_with_name";
    case Step::opened_without_name: return "opened_without_name";
    case Step::login_sent: return "login_sent";
    case Step::account_login_sent: return "account_login_sent";
    case Step::logout_sent: return "logout_sent";
    case Step::logged_in: return "logged_in";
    case Step::resumed: return "resumed";
    case Step::login_refused: return "login_refused";
    case Step::token_refused: return "token_refused";
    case Step::closed: return "closed";
  }
  return "?";
}

}  // namespace chat::client
