// Names and human descriptions of ErrorCode values.
#include "error.hpp"

#include <array>
#include <utility>

namespace chat {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  std::string_view summary;
};

constexpr std::array<CodeInfo, 32> kCodes{{
    {ErrorCode::bad_json, "bad_json", "not valid JSON"},
    {ErrorCode::not_object, "not_object", "a frame must be a JSON object"},
    {ErrorCode::missing_field, "missing_field", "missing field"},
    {ErrorCode::wrong_type, "wrong_type", "wrong field type"},
    {ErrorCode::unknown_action, "unknown_action", "unknown action"},
    {ErrorCode::frame_too_large, "frame_too_large", "frame too large"},
    {ErrorCode::too_deep, "too_deep", "JSON nested too deep"},
    {ErrorCode::invalid_utf8, "invalid_utf8", "text is not valid UTF-8"},
    {ErrorCode::binary_frame, "binary_frame", "binary frames are not supported"},
    {ErrorCode::duplicate_key, "duplicate_key", "a key appears twice"},
    {ErrorCode::not_logged_in, "not_logged_in", "please log in first"},
    {ErrorCode::name_taken, "name_taken", "this name is already in use"},
    {ErrorCode::invalid_name, "invalid_name", "invalid name"},
    {ErrorCode::invalid_room, "invalid_room", "invalid room name"},
    {ErrorCode::room_exists, "room_exists", "this room already exists"},
    {ErrorCode::no_such_room, "no_such_room", "no such room"},
    {ErrorCode::empty_message, "empty_message", "empty message"},
    {ErrorCode::message_too_long, "message_too_long", "message too long"},
    {ErrorCode::invalid_message, "invalid_message", "invalid message"},
    {ErrorCode::bad_value, "bad_value", "value out of range"},
    {ErrorCode::bad_token, "bad_token", "unknown or expired resume token"},
    {ErrorCode::store_unavailable, "store_unavailable", "could not store it, so it was not sent; try again"},
    {ErrorCode::server_busy, "server_busy", "the server is busy; try again shortly"},
    {ErrorCode::rate_limited, "rate_limited", "slow down"},
    {ErrorCode::too_many_rooms, "too_many_rooms", "the server has as many rooms as it can hold"},
    {ErrorCode::not_allowed, "not_allowed", "not allowed"},
    {ErrorCode::too_many_accounts, "too_many_accounts", "the server has as many accounts as it can hold"},
    {ErrorCode::bad_password, "bad_password", "wrong name or password"},
    {ErrorCode::invalid_password, "invalid_password", "this password cannot be used"},
    {ErrorCode::no_such_account, "no_such_account", "no account has this name"},
    {ErrorCode::too_many_members, "too_many_members", "the room has as many members as it can hold"},
    {ErrorCode::other, "other", "refused"},
}};

const CodeInfo& info(ErrorCode code) {
  for (const auto& entry : kCodes) {
    if (entry.code == code) return entry;
  }
  return kCodes[0];  // unreachable while kCodes lists every enumerator (tested)
}

}  // namespace

std::string_view to_string(ErrorCode code) { return info(code).name; }

std::optional<ErrorCode> error_code_from_string(std::string_view text) {
  for (const auto& entry : kCodes) {
    if (entry.name == text) return entry.code;
  }
  return std::nullopt;
}

std::string describe(const Error& error) {
  std::string text(info(error.code).summary);
  if (!error.detail.empty()) {
    text += ": ";
    text += error.detail;
  }
  return text;
}

}  // namespace chat
