// What the client shows, as plain data produced by ViewModel and read by the view and the test
// snapshot. No drawing, no I/O: adding a field here never needs ImGui or Emscripten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

enum class Connection {
  connecting,  // a socket is being opened
  online,      // the socket is open (logged in or not)
  offline,     // the socket closed; a retry is scheduled at ViewState::retry_at
};

// Which form the name screen shows: a guest's nickname, or an account's name and password.
enum class LoginMode { guest, sign_in, create_account };

struct LogLine {
  enum class Kind { chat, notice, error };
  Kind kind = Kind::notice;
  std::string user;  // the author for chat lines, empty otherwise
  std::string text;  // for chat lines the text after "USER: ", else the whole sentence
  std::int64_t id = 0;  // chat lines: the server's id (0 from a server that sends none)
  std::int64_t ts = 0;  // chat lines: server time, ms since the Unix epoch (0: unknown)
  // chat lines (v2): the accounts the line mentions, as the server spelled them (at most
  // kMaxMentions: the server sends no more)
  std::vector<std::string> mentions;
};

inline constexpr std::size_t kMaxMentions = 20;
// A line's mentions as kept: at most kMaxMentions.
std::vector<std::string> mentioned(const std::vector<std::string>& names);
// The line mentions the account `my_name` (the server spells it as the account does).
bool names_me(const LogLine& line, std::string_view my_name);

// How much of one room or conversation is unread (docs/ACCOUNTS.md, "Step 4").
struct Unread {
  std::int64_t count = 0;
  bool mention = false;  // one of the unread lines mentions the person
  bool operator==(const Unread& other) const { return count == other.count && mention == other.mention; }
};

// One signed-in device of the account, as the account screen lists it.
struct SessionRow {
  std::string id;
  std::int64_t created_ms = 0;
  std::int64_t last_used_ms = 0;
  bool current = false;  // this device
};

struct ViewState {
  Connection connection = Connection::connecting;
  bool logged_in = false;
  std::string my_name;  // the name of the last successful login, kept across reconnects
  std::string current_room = "general";
  std::vector<std::string> rooms;
  // Refusals, each shown next to the widget the user acted with.
  std::string login_error;
  std::string room_error;
  std::string input_error;
  std::string last_error;    // the most recent refusal or failure of any kind
  // Accounts (docs/PROTOCOL.md, "Accounts").
  LoginMode login_mode = LoginMode::guest;
  bool signed_in = false;    // the session is an account's: "Sign out" ends it
  std::string login_notice;  // a sentence for the name screen that is no refusal ("You signed out.")
  double retry_at = 0;       // when offline: the time of the next connection attempt
  int failed_attempts = 0;   // consecutive connections that closed without opening
  bool relogging_in = false; // logging back in by itself (resume or login) after a reconnect
  // The current room's people (from `members`, kept up to date by `presence`), sorted, and
  // those of them who are accounts (the others are guests, whom no one can message), sorted.
  std::vector<std::string> members;
  std::vector<std::string> member_accounts;
  bool has_older = false;      // the server holds lines of the current room older than the log's
  bool loading_older = false;  // a page of them has been asked for
  // Private rooms and direct conversations (docs/ACCOUNTS.md, "Step 3"). Private rooms are in
  // `rooms` too; this says which to mark. Conversations are named by the other person.
  std::vector<std::string> private_rooms;
  std::vector<std::string> dms;
  // Non-empty: the log and the input are the conversation with this person; the connection
  // itself stays in current_room.
  std::string current_dm;
  // The current room's members when it is private (from `room_members`, kept up to date by
  // member_added/removed); owner empty when not known (or a public room).
  std::string room_owner;
  std::vector<std::string> room_members;
  std::string member_error;  // a refused invite or removal
  // Unread counts (accounts, from `unread` frames; for the room shown while the page is hidden,
  // counted here): by room, and by the other person of a conversation. Nothing for what is read.
  std::map<std::string, Unread> unread;
  std::map<std::string, Unread> unread_dms;
  // Who is typing in the room or conversation shown: "alice is typing…", or "".
  std::string typing;
  // The account screen (change password, the sessions), shown in place of the log.
  bool account_open = false;
  std::string password_error;   // a refused change_password, or the form's own check
  std::string password_notice;  // "Password changed."
  std::vector<SessionRow> sessions;  // most recently used first, as the server lists them
  bool sessions_loading = false;     // asked for, not yet answered
  std::string sessions_error;        // a refused sessions or end_session
};

// The unread lines of every room and conversation together (the tab's title).
std::int64_t total_unread(const ViewState& state);
// The room's (dm empty) or the conversation's count; zero when nothing is unread.
Unread unread_of(const ViewState& state, const std::string& room, const std::string& dm = "");

bool is_private_room(const ViewState& state, const std::string& room);
// "Message" is offered: this session is an account's and `person`, another, is one too.
bool can_message(const ViewState& state, const std::string& person);
// The current room is private and its owner is this session's account.
bool owns_current_room(const ViewState& state);

const char* to_string(Connection connection);
const char* to_string(LoginMode mode);

// Whether the view asks for a nickname: never logged in, or logging back in failed. While a known
// user reconnects, the chat stays on screen.
bool shows_login(const ViewState& state);

// A chat line's time as local "HH:MM"; "" when unknown (ts 0).
std::string clock_text(std::int64_t ts_ms);

// One line for the status bar, e.g. "Disconnected: retrying in 3 s".
std::string status_text(const ViewState& state, double now);

}  // namespace chat::client
