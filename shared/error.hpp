// The protocol's refusal reasons: one stable machine-readable code each, plus a human detail.
// The codes are part of the wire protocol (docs/PROTOCOL.md); never rename one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chat {

enum class ErrorCode {
  // The frame itself could not be read.
  bad_json,
  not_object,
  missing_field,
  wrong_type,
  unknown_action,
  frame_too_large,
  too_deep,
  invalid_utf8,
  binary_frame,
  duplicate_key,  // one object holds the same key twice: readers would disagree on its value
  // The request was read but is refused.
  not_logged_in,
  name_taken,
  invalid_name,
  invalid_room,
  room_exists,
  no_such_room,
  empty_message,
  message_too_long,
  invalid_message,
  // v2 and server conditions.
  bad_value,          // a field has the right type but a value out of range
  bad_token,          // resume with a token the server does not know
  store_unavailable,  // the line or room could not be stored, so it was not delivered
  server_busy,        // too much work queued; try again shortly
  rate_limited,       // too many requests too fast; retry_after_ms says when
  too_many_rooms,     // the server holds as many rooms as it may
  not_allowed,        // the request is valid but not this client's to make (e.g. delete a room)
  too_many_accounts,  // accounts: the server holds as many accounts as it may
  bad_password,       // accounts: no such account, or a wrong password (one code for both)
  invalid_password,   // accounts: a new password the policy refuses (the detail says why)
  no_such_account,    // private rooms, DMs: the name is no account's
  too_many_members,   // private rooms: the room has as many members as it may
  // Never sent: what a client decodes a code into when it is newer than the client.
  other,
};

struct Error {
  ErrorCode code;
  std::string detail;  // human words naming what was wrong, e.g. the field
};

std::string_view to_string(ErrorCode code);
std::optional<ErrorCode> error_code_from_string(std::string_view text);

// The sentence shown to a person, e.g. "invalid name: longer than 32 characters".
std::string describe(const Error& error);

}  // namespace chat
