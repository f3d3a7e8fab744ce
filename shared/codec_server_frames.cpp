// Server frames (message, rooms, history, members, presence, sessions, unread, typing): each one's decoder (the
// client reads them) beside its encoder (the server writes them). docs/PROTOCOL.md is the
// authority on the JSON.
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

// An absent array reads as empty.
Result<std::vector<std::string>> optional_string_array_field(const Json& object, const char* name) {
  if (!object.contains(name)) return std::vector<std::string>{};
  return string_array_field(object, name);
}

Result<ServerFrame> decode_rooms(const Json& object) {
  auto rooms = string_array_field(object, "rooms");
  auto private_rooms = optional_string_array_field(object, "private");
  auto dms = optional_string_array_field(object, "dms");
  for (const auto* field : {&rooms, &private_rooms, &dms}) {
    if (!*field) return field->error();
  }
  return ServerFrame{RoomsFrame{std::move(rooms).value(), std::move(private_rooms).value(), std::move(dms).value()}};
}

Result<ChatLine> decode_chat_line(const Json& object) {
  if (!object.is_object()) return Error{ErrorCode::wrong_type, "\"lines\" must hold objects"};
  auto id = integer_field(object, "id", 0, 0, INT64_MAX);
  auto ts = integer_field(object, "ts", 0, 0, INT64_MAX);
  auto user = string_field(object, "user");
  auto text = string_field(object, "text");
  auto mentions = optional_string_array_field(object, "mentions");
  if (!id) return id.error();
  if (!ts) return ts.error();
  if (!user) return user.error();
  if (!text) return text.error();
  if (!mentions) return mentions.error();
  return ChatLine{id.value(), ts.value(), std::move(user).value(), std::move(text).value(), std::move(mentions).value()};
}

// "room", or for a direct conversation "dm" instead.
Result<ServerFrame> decode_history_frame(const Json& object) {
  auto dm = optional_string_field(object, "dm");
  if (!dm) return dm.error();
  auto room = dm.value().empty() ? string_field(object, "room") : optional_string_field(object, "room");
  auto request_id = request_id_field(object);
  if (!room) return room.error();
  if (!request_id) return request_id.error();
  const auto lines = object.find("lines");
  if (lines == object.end() || !lines->is_array()) return Error{ErrorCode::wrong_type, "\"lines\" must be an array"};
  HistoryFrame frame{std::move(room).value(), {}, optional_bool_field(object, "more"), std::move(request_id).value(),
                     std::move(dm).value()};
  for (const auto& line : *lines) {
    auto decoded = decode_chat_line(line);
    if (!decoded) return decoded.error();
    frame.lines.push_back(std::move(decoded).value());
  }
  return ServerFrame{std::move(frame)};
}

Result<ServerFrame> decode_members(const Json& object) {
  auto room = string_field(object, "room");
  auto users = string_array_field(object, "users");
  auto accounts = optional_string_array_field(object, "accounts");
  if (!room) return room.error();
  if (!users) return users.error();
  if (!accounts) return accounts.error();
  return ServerFrame{MembersFrame{std::move(room).value(), std::move(users).value(), std::move(accounts).value()}};
}

Result<ServerFrame> decode_presence(const Json& object) {
  auto room = string_field(object, "room");
  auto user = string_field(object, "user");
  auto event = string_field(object, "event");
  if (!room) return room.error();
  if (!user) return user.error();
  if (!event) return event.error();
  if (event.value() != "joined" && event.value() != "left") {
    return Error{ErrorCode::bad_value, "\"event\" must be joined or left"};
  }
  return ServerFrame{PresenceFrame{std::move(room).value(), std::move(user).value(), event.value() == "joined",
                                   optional_bool_field(object, "account")}};
}

Result<SessionInfo> decode_session_info(const Json& object) {
  if (!object.is_object()) return Error{ErrorCode::wrong_type, "\"sessions\" must hold objects"};
  auto id = string_field(object, "id");
  auto created_ms = integer_field(object, "created_ms", 0, 0, INT64_MAX);
  auto last_used_ms = integer_field(object, "last_used_ms", 0, 0, INT64_MAX);
  if (!id) return id.error();
  if (!created_ms) return created_ms.error();
  if (!last_used_ms) return last_used_ms.error();
  return SessionInfo{std::move(id).value(), created_ms.value(), last_used_ms.value(),
                     optional_bool_field(object, "current")};
}

Result<ServerFrame> decode_sessions(const Json& object) {
  auto request_id = request_id_field(object);
  if (!request_id) return request_id.error();
  const auto sessions = object.find("sessions");
  if (sessions == object.end() || !sessions->is_array()) {
    return Error{ErrorCode::wrong_type, "\"sessions\" must be an array"};
  }
  SessionsFrame frame{{}, std::move(request_id).value()};
  for (const auto& session : *sessions) {
    auto decoded = decode_session_info(session);
    if (!decoded) return decoded.error();
    frame.sessions.push_back(std::move(decoded).value());
  }
  return ServerFrame{std::move(frame)};
}

Result<ServerFrame> decode_room_members(const Json& object) {
  auto room = string_field(object, "room");
  auto owner = string_field(object, "owner");
  auto members = string_array_field(object, "members");
  auto request_id = request_id_field(object);
  if (!room) return room.error();
  if (!owner) return owner.error();
  if (!members) return members.error();
  if (!request_id) return request_id.error();
  return ServerFrame{RoomMembersFrame{std::move(room).value(), std::move(owner).value(), std::move(members).value(),
                                      std::move(request_id).value()}};
}

Result<UnreadCount> decode_unread_count(const Json& object) {
  if (!object.is_object()) return Error{ErrorCode::wrong_type, "\"unread\" must hold objects"};
  auto dm = optional_string_field(object, "dm");
  if (!dm) return dm.error();
  auto room = dm.value().empty() ? string_field(object, "room") : optional_string_field(object, "room");
  auto last_read_id = integer_field(object, "last_read_id", 0, 0, INT64_MAX);
  auto count = integer_field(object, "count", 0, 0, INT64_MAX);
  if (!room) return room.error();
  if (!last_read_id) return last_read_id.error();
  if (!count) return count.error();
  return UnreadCount{std::move(room).value(), std::move(dm).value(), last_read_id.value(), count.value(),
                     optional_bool_field(object, "mention")};
}

Result<ServerFrame> decode_unread(const Json& object) {
  auto request_id = request_id_field(object);
  if (!request_id) return request_id.error();
  const auto counts = object.find("unread");
  if (counts == object.end() || !counts->is_array()) return Error{ErrorCode::wrong_type, "\"unread\" must be an array"};
  UnreadFrame frame{{}, std::move(request_id).value()};
  for (const auto& count : *counts) {
    auto decoded = decode_unread_count(count);
    if (!decoded) return decoded.error();
    frame.unread.push_back(std::move(decoded).value());
  }
  return ServerFrame{std::move(frame)};
}

Result<ServerFrame> decode_typing_frame(const Json& object) {
  auto dm = optional_string_field(object, "dm");
  if (!dm) return dm.error();
  auto room = dm.value().empty() ? string_field(object, "room") : optional_string_field(object, "room");
  auto user = string_field(object, "user");
  if (!room) return room.error();
  if (!user) return user.error();
  return ServerFrame{TypingFrame{std::move(room).value(), std::move(dm).value(), std::move(user).value()}};
}

Result<ServerFrame> decode_message(const Json& object) {
  auto message = string_field(object, "message");
  auto error = optional_string_field(object, "error");
  auto event = optional_string_field(object, "event");
  auto user = optional_string_field(object, "user");
  auto room = optional_string_field(object, "room");
  auto token = optional_string_field(object, "token");
  auto text = optional_string_field(object, "text");
  auto session = optional_string_field(object, "session");
  auto dm = optional_string_field(object, "dm");
  for (const auto* field : {&message, &error, &event, &user, &room, &token, &text, &session, &dm}) {
    if (!*field) return field->error();
  }
  auto request_id = request_id_field(object);
  auto version = integer_field(object, "version", 0, 0, 1000);
  auto id = integer_field(object, "id", 0, 0, INT64_MAX);
  auto ts = integer_field(object, "ts", 0, 0, INT64_MAX);
  auto retry_after_ms = integer_field(object, "retry_after_ms", 0, 0, INT64_MAX);
  auto mentions = optional_string_array_field(object, "mentions");
  if (!request_id) return request_id.error();
  if (!mentions) return mentions.error();
  for (const auto* field : {&version, &id, &ts, &retry_after_ms}) {
    if (!*field) return field->error();
  }
  MessageFrame frame;
  frame.message = std::move(message).value();
  frame.user = std::move(user).value();
  frame.room = std::move(room).value();
  frame.token = std::move(token).value();
  frame.request_id = std::move(request_id).value();
  frame.version = static_cast<int>(version.value());
  frame.id = id.value();
  frame.ts = ts.value();
  frame.retry_after_ms = retry_after_ms.value();
  frame.has_text = object.contains("text");
  frame.session = std::move(session).value();
  frame.account = optional_bool_field(object, "account");
  frame.registered = optional_bool_field(object, "registered");
  frame.dm = std::move(dm).value();
  frame.is_private = optional_bool_field(object, "private");
  frame.mentions = std::move(mentions).value();
  // Codes and events this build does not know are kept as "some refusal" / "plain notice", so
  // that an older client keeps working against a newer server.
  if (!error.value().empty()) {
    frame.error = error_code_from_string(error.value()).value_or(ErrorCode::other);
  }
  frame.event = event_from_string(event.value()).value_or(Event::none);
  return ServerFrame{std::move(frame)};
}

Result<ServerFrame> decode_server_action(const Json& object, const std::string& action) {
  if (action == "message") return decode_message(object);
  if (action == "rooms") return decode_rooms(object);
  if (action == "history") return decode_history_frame(object);
  if (action == "members") return decode_members(object);
  if (action == "presence") return decode_presence(object);
  if (action == "sessions") return decode_sessions(object);
  if (action == "room_members") return decode_room_members(object);
  if (action == "unread") return decode_unread(object);
  if (action == "typing") return decode_typing_frame(object);
  return unknown_action(action);
}

struct ServerEncoder {
  std::string operator()(const MessageFrame& f) const {
    ObjectWriter writer("message");
    writer.field("message", f.message);
    if (f.error) writer.field("error", to_string(*f.error));
    writer.optional_field("event", to_string(f.event));
    writer.optional_field("user", f.user).optional_field("room", f.room).optional_field("dm", f.dm);
    writer.optional_true("private", f.is_private);
    writer.optional_number("id", f.id).optional_number("ts", f.ts);
    if (f.has_text) writer.field("text", f.chat_text()).optional_string_array("mentions", f.mentions);
    writer.optional_field("token", f.token).optional_number("version", f.version);
    writer.optional_number("retry_after_ms", f.retry_after_ms);
    writer.optional_true("account", f.account).optional_true("registered", f.registered);
    writer.optional_field("session", f.session);
    writer.optional_raw("request_id", f.request_id);
    return writer.finish();
  }
  std::string operator()(const RoomsFrame& f) const {
    ObjectWriter writer("rooms");
    writer.string_array("rooms", f.rooms);
    if (!f.private_rooms.empty()) writer.string_array("private", f.private_rooms);
    if (!f.dms.empty()) writer.string_array("dms", f.dms);
    return writer.finish();
  }
  std::string operator()(const HistoryFrame& f) const {
    ObjectWriter writer("history");
    if (f.dm.empty()) writer.field("room", f.room);
    writer.optional_field("dm", f.dm).lines(f.lines).boolean("more", f.more).optional_raw("request_id", f.request_id);
    return writer.finish();
  }
  std::string operator()(const MembersFrame& f) const {
    return ObjectWriter("members").field("room", f.room).string_array("users", f.users)
        .optional_string_array("accounts", f.accounts).finish();
  }
  std::string operator()(const PresenceFrame& f) const {
    return ObjectWriter("presence").field("room", f.room).field("user", f.user)
        .field("event", f.joined ? "joined" : "left").optional_true("account", f.account).finish();
  }
  std::string operator()(const SessionsFrame& f) const {
    return ObjectWriter("sessions").sessions(f.sessions).optional_raw("request_id", f.request_id).finish();
  }
  std::string operator()(const RoomMembersFrame& f) const {
    return ObjectWriter("room_members").field("room", f.room).field("owner", f.owner)
        .string_array("members", f.members).optional_raw("request_id", f.request_id).finish();
  }
  std::string operator()(const UnreadFrame& f) const {
    return ObjectWriter("unread").unread(f.unread).optional_raw("request_id", f.request_id).finish();
  }
  std::string operator()(const TypingFrame& f) const {
    ObjectWriter writer("typing");
    if (f.dm.empty()) writer.field("room", f.room);
    return writer.optional_field("dm", f.dm).field("user", f.user).finish();
  }
};


}  // namespace

Result<ServerFrame> decode_server_frame(std::string_view text, const Limits& limits) {
  auto parsed = parse_object(text, limits);
  if (!parsed) return parsed.error();
  auto action = string_field(parsed.value(), "action");
  if (!action) return action.error();
  return decode_server_action(parsed.value(), action.value());
}

std::string encode(const ServerFrame& frame) { return std::visit(ServerEncoder{}, frame); }

}  // namespace chat
