// Client frames (login, send_message, rooms, history, accounts, ...): each one's decoder (the
// server reads them) beside its encoder (the client writes them), so that a field added to one
// is seen next to the other. docs/PROTOCOL.md is the authority on the JSON.
#include "codec.hpp"

#include <algorithm>
#include <cstdint>
#include <variant>

#include "json_reading.hpp"
#include "json_writing.hpp"

namespace chat {
namespace {

using namespace json_reading;
using json_writing::ObjectWriter;

template <class Frame>
Result<ClientFrame> client_frame_with(const Json& object, const char* field) {
  auto value = string_field(object, field);
  if (!value) return value.error();
  return ClientFrame{Frame{std::move(value).value()}};
}

Result<ClientFrame> decode_login(const Json& object) {
  auto user = string_field(object, "user");
  if (!user) return user.error();
  auto version = integer_field(object, "version", kSeedVersion, kSeedVersion, 1000);
  if (!version) return version.error();
  // A client newer than this server gets the newest version the server speaks.
  const int spoken = static_cast<int>(std::min<std::int64_t>(version.value(), kCurrentVersion));
  if (object.contains("password")) {  // an account's sign-in: a version-2 session, whatever "version" says
    auto password = string_field(object, "password");
    if (!password) return password.error();
    return ClientFrame{PasswordLogin{std::move(user).value(), std::move(password).value()}};
  }
  return ClientFrame{Login{std::move(user).value(), spoken}};
}

Result<ClientFrame> decode_register(const Json& object) {
  auto user = string_field(object, "user");
  auto password = string_field(object, "password");
  if (!user) return user.error();
  if (!password) return password.error();
  return ClientFrame{Register{std::move(user).value(), std::move(password).value()}};
}

Result<ClientFrame> decode_change_password(const Json& object) {
  auto password = string_field(object, "password");
  auto new_password = string_field(object, "new_password");
  if (!password) return password.error();
  if (!new_password) return new_password.error();
  return ClientFrame{ChangePassword{std::move(password).value(), std::move(new_password).value()}};
}

Result<ClientFrame> decode_resume(const Json& object) {
  auto token = string_field(object, "token");
  auto room = string_field(object, "room");
  auto after_id = integer_field(object, "after_id", 0, 0, INT64_MAX);
  if (!token) return token.error();
  if (!room) return room.error();
  if (!after_id) return after_id.error();
  return ClientFrame{Resume{std::move(token).value(), std::move(room).value(), after_id.value()}};
}

// `dm` (v2 accounts), when present, names someone: "" is refused rather than read as absent.
Result<std::string> dm_field(const Json& object) {
  auto dm = optional_string_field(object, "dm");
  if (dm && dm.value().empty() && object.contains("dm")) return Error{ErrorCode::bad_value, "\"dm\" must name someone"};
  return dm;
}

Result<ClientFrame> decode_send_message(const Json& object) {
  auto message = string_field(object, "message");
  if (!message) return message.error();
  auto dm = dm_field(object);
  if (!dm) return dm.error();
  return ClientFrame{SendMessage{std::move(message).value(), std::move(dm).value()}};
}

Result<ClientFrame> decode_create_room(const Json& object) {
  auto room = string_field(object, "room");
  if (!room) return room.error();
  if (const auto found = object.find("private"); found != object.end() && !found->is_boolean()) {
    return Error{ErrorCode::wrong_type, "\"private\" must be true or false"};
  }
  return ClientFrame{CreateRoom{std::move(room).value(), optional_bool_field(object, "private")}};
}

// Exactly one of "room" and "dm".
Result<ClientFrame> decode_history(const Json& object) {
  auto dm = dm_field(object);
  if (!dm) return dm.error();
  auto room = dm.value().empty() ? string_field(object, "room") : Result<std::string>(std::string());
  if (!room) return room.error();
  if (!dm.value().empty() && object.contains("room")) return Error{ErrorCode::bad_value, "give \"room\" or \"dm\", not both"};
  auto before_id = integer_field(object, "before_id", 0, 0, INT64_MAX);
  auto limit = integer_field(object, "limit", kDefaultHistoryLimit, 1, kMaxHistoryLimit);
  if (!before_id) return before_id.error();
  if (!limit) return limit.error();
  return ClientFrame{History{std::move(room).value(), before_id.value(), static_cast<int>(limit.value()),
                             std::move(dm).value()}};
}

// Exactly one of "room" and "dm": what mark_read and typing are about.
Result<std::pair<std::string, std::string>> room_or_dm(const Json& object) {
  auto dm = dm_field(object);
  if (!dm) return dm.error();
  if (dm.value().empty()) {
    auto room = string_field(object, "room");
    if (!room) return room.error();
    return std::pair{std::move(room).value(), std::string()};
  }
  if (object.contains("room")) return Error{ErrorCode::bad_value, "give \"room\" or \"dm\", not both"};
  return std::pair{std::string(), std::move(dm).value()};
}

Result<ClientFrame> decode_mark_read(const Json& object) {
  auto about = room_or_dm(object);
  if (!about) return about.error();
  if (!object.contains("id")) return Error{ErrorCode::missing_field, "\"id\""};
  auto id = integer_field(object, "id", 0, 0, INT64_MAX);
  if (!id) return id.error();
  auto [room, dm] = std::move(about).value();
  return ClientFrame{MarkRead{std::move(room), id.value(), std::move(dm)}};
}

Result<ClientFrame> decode_typing(const Json& object) {
  auto about = room_or_dm(object);
  if (!about) return about.error();
  auto [room, dm] = std::move(about).value();
  return ClientFrame{Typing{std::move(room), std::move(dm)}};
}

template <class Frame>
Result<ClientFrame> decode_room_and_user(const Json& object) {
  auto room = string_field(object, "room");
  auto user = string_field(object, "user");
  if (!room) return room.error();
  if (!user) return user.error();
  return ClientFrame{Frame{std::move(room).value(), std::move(user).value()}};
}

Result<ClientFrame> decode_client_action(const Json& object, const std::string& action) {
  if (action == "login") return decode_login(object);
  if (action == "send_message") return decode_send_message(object);
  if (action == "create_room") return decode_create_room(object);
  if (action == "join_room") return client_frame_with<JoinRoom>(object, "room");
  if (action == "delete_room") return client_frame_with<DeleteRoom>(object, "room");
  if (action == "resume") return decode_resume(object);
  if (action == "history") return decode_history(object);
  if (action == "register") return decode_register(object);
  if (action == "logout") return ClientFrame{Logout{}};
  if (action == "change_password") return decode_change_password(object);
  if (action == "sessions") return ClientFrame{ListSessions{}};
  if (action == "end_session") return client_frame_with<EndSession>(object, "session");
  if (action == "invite") return decode_room_and_user<InviteMember>(object);
  if (action == "remove_member") return decode_room_and_user<RemoveMember>(object);
  if (action == "room_members") return client_frame_with<ListRoomMembers>(object, "room");
  if (action == "mark_read") return decode_mark_read(object);
  if (action == "typing") return decode_typing(object);
  return unknown_action(action);
}

// Each client frame ends with the optional request_id (compact JSON; "" when absent).
struct ClientEncoder {
  std::string_view request_id;

  std::string finish(ObjectWriter& writer) const { return writer.optional_raw("request_id", request_id).finish(); }

  std::string operator()(const Login& f) const {
    ObjectWriter writer("login");
    writer.field("user", f.user);
    if (f.version != kSeedVersion) writer.number("version", f.version);
    return finish(writer);
  }
  std::string operator()(const PasswordLogin& f) const {
    return finish(ObjectWriter("login").field("user", f.user).field("password", f.password));
  }
  std::string operator()(const Register& f) const {
    return finish(ObjectWriter("register").field("user", f.user).field("password", f.password));
  }
  std::string operator()(const Logout&) const {
    ObjectWriter writer("logout");
    return finish(writer);
  }
  std::string operator()(const ChangePassword& f) const {
    return finish(ObjectWriter("change_password").field("password", f.password).field("new_password", f.new_password));
  }
  std::string operator()(const ListSessions&) const {
    ObjectWriter writer("sessions");
    return finish(writer);
  }
  std::string operator()(const EndSession& f) const {
    return finish(ObjectWriter("end_session").field("session", f.session));
  }
  std::string operator()(const Resume& f) const {
    return finish(ObjectWriter("resume").field("token", f.token).field("room", f.room).number("after_id", f.after_id));
  }
  std::string operator()(const History& f) const {
    ObjectWriter writer("history");
    if (f.dm.empty()) writer.field("room", f.room);
    writer.optional_field("dm", f.dm).optional_number("before_id", f.before_id).number("limit", f.limit);
    return finish(writer);
  }
  std::string operator()(const SendMessage& f) const {
    return finish(ObjectWriter("send_message").field("message", f.message).optional_field("dm", f.dm));
  }
  std::string operator()(const CreateRoom& f) const {
    return finish(ObjectWriter("create_room").field("room", f.room).optional_true("private", f.is_private));
  }
  std::string operator()(const InviteMember& f) const {
    return finish(ObjectWriter("invite").field("room", f.room).field("user", f.user));
  }
  std::string operator()(const RemoveMember& f) const {
    return finish(ObjectWriter("remove_member").field("room", f.room).field("user", f.user));
  }
  std::string operator()(const ListRoomMembers& f) const {
    return finish(ObjectWriter("room_members").field("room", f.room));
  }
  std::string operator()(const MarkRead& f) const {
    ObjectWriter writer("mark_read");
    if (f.dm.empty()) writer.field("room", f.room);
    return finish(writer.optional_field("dm", f.dm).number("id", f.id));
  }
  std::string operator()(const Typing& f) const {
    ObjectWriter writer("typing");
    if (f.dm.empty()) writer.field("room", f.room);
    return finish(writer.optional_field("dm", f.dm));
  }
  std::string operator()(const JoinRoom& f) const {
    return finish(ObjectWriter("join_room").field("room", f.room));
  }
  std::string operator()(const DeleteRoom& f) const {
    return finish(ObjectWriter("delete_room").field("room", f.room));
  }
};

}  // namespace

ClientRequest decode_client_request(std::string_view text, const Limits& limits) {
  auto parsed = parse_object(text, limits);
  if (!parsed) return {parsed.error(), ""};
  const Json& object = parsed.value();
  auto request_id = request_id_field(object);
  if (!request_id) return {request_id.error(), ""};
  auto action = string_field(object, "action");
  if (!action) return {action.error(), request_id.value()};
  return {decode_client_action(object, action.value()), request_id.value()};
}

Result<ClientFrame> decode_client_frame(std::string_view text, const Limits& limits) {
  return decode_client_request(text, limits).frame;
}

std::string encode(const ClientFrame& frame) { return std::visit(ClientEncoder{}, frame); }
std::string encode(const ClientFrame& frame, std::string_view request_id) {
  return std::visit(ClientEncoder{request_id}, frame);
}

}  // namespace chat
