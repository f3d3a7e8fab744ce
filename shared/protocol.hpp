// The typed frames of the wire protocol (docs/PROTOCOL.md is the authority on the JSON).
// Plain data only: reading and writing JSON is codec.hpp's job, checking values validate.hpp's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "error.hpp"
#include "limits.hpp"
#include "result.hpp"

namespace chat {

// The protocol versions: 1 is the seed's; 2 is opted into per connection (login "version":2 or
// resume) and adds history, resume and presence. See docs/PROTOCOL.md.
constexpr int kSeedVersion = 1;
constexpr int kCurrentVersion = 2;

// ---- Client to server -------------------------------------------------------------------------
struct Login {
  std::string user;
  int version = kSeedVersion;
};
// v2 accounts: `login` with a "password" field signs in to the account named `user` (implies
// version 2). Without one, `login` is a guest's (Login above).
struct PasswordLogin {
  std::string user;
  std::string password;
};
// v2 accounts (docs/ACCOUNTS.md): creates the account `user` and signs in to it (implies v2).
struct Register {
  std::string user;
  std::string password;
};
// v2 accounts: ends this connection's session (its token is deleted); the connection stays open.
struct Logout {};
// v2 accounts: `password` is the current one; every other session of the account ends.
struct ChangePassword {
  std::string password;
  std::string new_password;
};
// v2 accounts: lists the account's sessions (a SessionsFrame answers).
struct ListSessions {};
// v2 accounts: ends one of the account's sessions, by its id (SessionInfo::id).
struct EndSession {
  std::string session;
};
// To the connection's current room; v2 accounts: with `dm`, to the direct conversation with the
// account named `dm` instead (wherever the sender is).
struct SendMessage {
  std::string message;
  std::string dm;  // empty: the current room
};
struct CreateRoom {
  std::string room;
  bool is_private = false;  // v2 accounts: invite-only, seen by its members alone ("private":true)
};
struct JoinRoom {
  std::string room;
};
// Removes a room with its history; allowed to its creator (see docs/PROTOCOL.md).
struct DeleteRoom {
  std::string room;
};
// v2: take back the name of an earlier connection and catch up on a room from after_id.
struct Resume {
  std::string token;
  std::string room;
  std::int64_t after_id = 0;  // 0: the client has seen nothing of the room
};
// v2: a page of a room's lines older than before_id (0: the newest lines). Exactly one of `room`
// and `dm` (v2 accounts: the direct conversation with that account) is given.
struct History {
  std::string room;
  std::int64_t before_id = 0;
  int limit = kDefaultHistoryLimit;
  std::string dm;
};
// v2 accounts, private rooms: the room's owner adds the account `user` to its members (a member
// already: the same answer, nothing changes).
struct InviteMember {
  std::string room;
  std::string user;
};
// v2 accounts, private rooms: the owner removes a member, or a member removes themselves (leaves).
// The removed person's connections in the room are moved to general at once.
struct RemoveMember {
  std::string room;
  std::string user;
};
// v2 accounts, private rooms: who the room's members are (a RoomMembersFrame answers).
struct ListRoomMembers {
  std::string room;
};
// v2 accounts (docs/ACCOUNTS.md, step 4): the account has read `room` (or, with `dm`, the direct
// conversation with that account) up to line `id`. Markers only rise; every session of the account
// hears the new count (an UnreadFrame).
struct MarkRead {
  std::string room;
  std::int64_t id = 0;
  std::string dm;
};
// v2: the sender is typing in `room` (the room its connection is in) or, v2 accounts, to the
// account `dm`. Never stored; at most one per few seconds per connection is passed on.
struct Typing {
  std::string room;
  std::string dm;
};
using ClientFrame = std::variant<Login, SendMessage, CreateRoom, JoinRoom, Resume, History, DeleteRoom, PasswordLogin,
                                 Register, Logout, ChangePassword, ListSessions, EndSession, InviteMember,
                                 RemoveMember, ListRoomMembers, MarkRead, Typing>;

// A decoded client frame with the client's optional "request_id", which refusals echo.
struct ClientRequest {
  Result<ClientFrame> frame;
  std::string request_id;  // compact JSON of the value (a string or an integer); "" if absent
};

// ---- Server to client -------------------------------------------------------------------------
// What a `message` frame reports, beyond the seed's human text. Seed clients ignore it.
enum class Event {
  none,          // plain notice, no extra field
  chat,          // a chat line: user and room are set, message is "USER: TEXT"
  logged_in,     // login accepted: user is set
  joined,        // join accepted: room is set
  room_created,  // create accepted (v2: also anyone's room created): room is set
  resumed,       // v2 resume accepted: user, room and token are set
  room_deleted,  // a room was deleted (v2: any room; v1: the one the receiver was in): room is set
  logged_out,        // v2 accounts: logout accepted
  password_changed,  // v2 accounts: change_password accepted
  session_ended,     // v2 accounts: end_session accepted: session is set
  member_added,      // v2 private rooms: user became a member of room (to the inviter, the invitee, the room)
  member_removed,    // v2 private rooms: user is no longer a member of room (likewise)
};

// One stored chat line (v2 history and v2 chat-line fields).
struct ChatLine {
  std::int64_t id = 0;  // per room, strictly increasing, never reused
  std::int64_t ts = 0;  // server time, milliseconds since the Unix epoch
  std::string user;
  std::string text;
  // Derived by the server from the text, never stored: the accounts an `@name` word of the text
  // names (by identity key), as the accounts spell themselves; the v2 "mentions" field.
  std::vector<std::string> mentions;
};

struct MessageFrame {
  std::string message;              // the seed's field: what a person reads
  Event event = Event::none;
  std::optional<ErrorCode> error;   // set on refusals (then event is none)
  std::string user;                 // empty = absent
  std::string room;                 // empty = absent
  // v2 additions (absent when empty or zero).
  std::string request_id;           // echo of the request's id, as compact JSON
  std::string token;                // resume token, on logged_in / resumed
  int version = 0;                  // on logged_in / resumed: the version now spoken
  std::int64_t id = 0;              // chat line: its id
  std::int64_t ts = 0;              // chat line: its server time
  bool has_text = false;            // chat line: "text" is sent (v2)
  std::int64_t retry_after_ms = 0;  // rate_limited refusal: when the request would be accepted
  bool account = false;             // logged_in / resumed: the session is an account's
  bool registered = false;          // name_taken refusal of a guest login: an account owns the name
  std::string session;              // session_ended: the id of the session ended
  std::string dm;                   // a direct conversation's line: the other person, as the receiver sees it
  bool is_private = false;          // room_created of a private room ("private":true)
  std::vector<std::string> mentions;  // chat line (v2): the accounts it mentions (ChatLine::mentions)

  // For a chat line: the text after "USER: ".
  std::string_view chat_text() const;
};

// The seed's list of rooms. A v2 account's own list (sent after its login) also holds the private
// rooms it is a member of, named again in `private_rooms`, and its direct conversations (`dms`:
// the other people's names); both fields are absent when empty, so every other list is the seed's.
struct RoomsFrame {
  std::vector<std::string> rooms;
  std::vector<std::string> private_rooms;
  std::vector<std::string> dms;
};
// v2: lines of one room (or of the direct conversation with `dm`, room then empty), oldest first.
struct HistoryFrame {
  std::string room;
  std::vector<ChatLine> lines;
  bool more = false;  // older lines exist before the first one (paging back)
  std::string request_id;
  std::string dm;
};
// v2: who (logged in) is in a room, sent on entering it.
struct MembersFrame {
  std::string room;
  std::vector<std::string> users;
  std::vector<std::string> accounts;  // those of `users` signed in to an account ("accounts", if any)
};
// v2: someone entered or left the room the receiver is in.
struct PresenceFrame {
  std::string room;
  std::string user;
  bool joined = true;    // false: left
  bool account = false;  // `user` is an account's name ("account":true), not a guest's
};
// v2 accounts: one signed-in device of the account (a session token; `id` is its public half).
struct SessionInfo {
  std::string id;
  std::int64_t created_ms = 0;
  std::int64_t last_used_ms = 0;
  bool current = false;  // the session of the connection that asked
};
// v2 accounts: the answer to `sessions`, most recently used first.
struct SessionsFrame {
  std::vector<SessionInfo> sessions;
  std::string request_id;
};
// v2 private rooms: the answer to `room_members`: the owner and every member (the owner included),
// signed in or not, by their accounts' names.
struct RoomMembersFrame {
  std::string room;
  std::string owner;
  std::vector<std::string> members;
  std::string request_id;
};
// v2 accounts: how much of one room (or, with `dm`, one direct conversation) the account has not
// read: lines after `last_read_id` (`count`), and whether one of them mentions the account.
struct UnreadCount {
  std::string room;
  std::string dm;
  std::int64_t last_read_id = 0;
  std::int64_t count = 0;
  bool mention = false;
};
// v2 accounts: every followed room's count after a login or resume, then the counts that changed
// (a line arrived elsewhere, a marker rose on any device). `request_id`: the answer to mark_read.
struct UnreadFrame {
  std::vector<UnreadCount> unread;
  std::string request_id;
};
// v2: `user` is typing in `room` (the receiver's room) or, `dm` set, to the receiver (`dm` is then
// the typer, as in a direct line). Clients show it for a few seconds after the last one.
struct TypingFrame {
  std::string room;
  std::string dm;
  std::string user;
};
using ServerFrame = std::variant<MessageFrame, RoomsFrame, HistoryFrame, MembersFrame, PresenceFrame, SessionsFrame,
                                 RoomMembersFrame, UnreadFrame, TypingFrame>;

// Builders for the frames the server sends, so that the seed's formats live in one place.
// A chat line as the seed sends it, plus author and room; with_details adds v2's id, ts, text.
MessageFrame chat_line(const std::string& room, const ChatLine& line, bool with_details);
MessageFrame refusal(const Error& error);
MessageFrame notice(Event event, std::string message, std::string user, std::string room);

std::string_view to_string(Event event);
std::optional<Event> event_from_string(std::string_view text);

}  // namespace chat
