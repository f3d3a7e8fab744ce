// Decoding runs cheap guards first (size, UTF-8, nesting depth) so that nlohmann only ever sees
// bounded, well-formed-enough input; it then builds the DOM with exceptions disabled, stopping at
// a key repeated in one object, and every field's type is checked before it is read. Encoding is
// written by hand: it fixes key order ("action" first, as the seed's clients print it) and is the
// hot path of every broadcast.
// Longer than the ~300 lines we aim for, on purpose: it is the wire format's one place, each
// frame's decoder beside its encoder, so that a field added to one is seen next to the other.
#include "codec.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "duplicate_keys.hpp"
#include "limits.hpp"
#include "utf8.hpp"

namespace chat {
namespace {

using Json = nlohmann::json;

// Depth of [ and { outside strings; stops counting once past the limit.
bool nesting_exceeds(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// nlohmann's own DOM builder (the one Json::parse uses; a detail:: class, pinned by Debian's
// 3.11.2 on both builds), stopped at the first key repeated in one object. Measured per decode of
// a chat line / a v2 login: 818 / 880 ns before, 823 / 921 ns with this, 1005 / 1248 ns with
// Json::parse's public parse callback instead (it wraps every value in a std::function call).
class RefusingDuplicateKeys : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit RefusingDuplicateKeys(Json& result) : json_sax_dom_parser(result, /*allow_exceptions=*/false) {}
  bool start_object(std::size_t size) {
    keys_.open_object();
    return json_sax_dom_parser::start_object(size);
  }
  bool key(Json::string_t& key) {
    if (keys_.add(key)) return json_sax_dom_parser::key(key);
    repeated_ = key;
    return false;  // stops the parse
  }
  bool end_object() {
    keys_.close_object();
    return json_sax_dom_parser::end_object();
  }
  const std::optional<std::string>& repeated() const { return repeated_; }

 private:
  DuplicateKeys keys_;
  std::optional<std::string> repeated_;
};

// Which value nlohmann keeps for a repeated key is its choice (the last one), and another reader
// of the same frame (a proxy, a log filter) may keep the first: such a frame means two things, so
// it is refused, naming the key (cut short, as it comes from the sender).
Error duplicate_key(const std::string& key) {
  return Error{ErrorCode::duplicate_key, "\"" + std::string(utf8::truncate(key, 64)) + "\" appears twice in one object"};
}

Result<Json> parse_object(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_frame_bytes) {
    return Error{ErrorCode::frame_too_large, std::to_string(text.size()) + " bytes, the limit is " +
                                                 std::to_string(limits.max_frame_bytes)};
  }
  if (!utf8::is_valid(text)) return Error{ErrorCode::invalid_utf8, ""};
  if (nesting_exceeds(text, limits.max_json_depth)) {
    return Error{ErrorCode::too_deep, "more than " + std::to_string(limits.max_json_depth) + " levels"};
  }
  Json json;
  RefusingDuplicateKeys reader(json);
  const bool read = Json::sax_parse(text.begin(), text.end(), &reader);
  if (reader.repeated()) return duplicate_key(*reader.repeated());
  if (!read) return Error{ErrorCode::bad_json, ""};
  if (!json.is_object()) return Error{ErrorCode::not_object, ""};
  return json;
}

// The refusal echoes the action, cut short so a hostile name cannot make the reply large.
Error unknown_action(std::string_view action) {
  return Error{ErrorCode::unknown_action, "\"" + std::string(utf8::truncate(action, 64)) + "\""};
}

// A required string field.
Result<std::string> string_field(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return Error{ErrorCode::missing_field, std::string("\"") + name + "\""};
  if (!it->is_string()) {
    return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must be a string"};
  }
  return it->get<std::string>();
}

// An optional string field: absent gives "", present with another type is an error.
Result<std::string> optional_string_field(const Json& object, const char* name) {
  if (object.find(name) == object.end()) return std::string();
  return string_field(object, name);
}

// An optional integer field within [min, max]; absent gives fallback.
Result<std::int64_t> integer_field(const Json& object, const char* name, std::int64_t fallback,
                                   std::int64_t min, std::int64_t max) {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer()) {
    return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must be an integer"};
  }
  const auto value = it->is_number_unsigned() ? static_cast<std::int64_t>(std::min<std::uint64_t>(
                                                    it->get<std::uint64_t>(), INT64_MAX))
                                              : it->get<std::int64_t>();
  if (value < min || value > max) {
    return Error{ErrorCode::bad_value, std::string("\"") + name + "\" must be from " +
                                           std::to_string(min) + " to " + std::to_string(max)};
  }
  return value;
}

bool optional_bool_field(const Json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// Strings (at most 64 bytes) and integers are accepted, kept as their compact JSON for the echo.
Result<std::string> request_id_field(const Json& object) {
  const auto it = object.find("request_id");
  if (it == object.end()) return std::string();
  const bool short_string = it->is_string() && it->get_ref<const std::string&>().size() <= 64;
  if (!short_string && !it->is_number_integer()) {
    return Error{ErrorCode::wrong_type, "\"request_id\" must be an integer or a string of at most 64 bytes"};
  }
  return it->dump();
}

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

Result<ClientFrame> decode_history(const Json& object) {
  auto room = string_field(object, "room");
  auto before_id = integer_field(object, "before_id", 0, 0, INT64_MAX);
  auto limit = integer_field(object, "limit", kDefaultHistoryLimit, 1, kMaxHistoryLimit);
  if (!room) return room.error();
  if (!before_id) return before_id.error();
  if (!limit) return limit.error();
  return ClientFrame{History{std::move(room).value(), before_id.value(), static_cast<int>(limit.value())}};
}

Result<ClientFrame> decode_client_action(const Json& object, const std::string& action) {
  if (action == "login") return decode_login(object);
  if (action == "send_message") return client_frame_with<SendMessage>(object, "message");
  if (action == "create_room") return client_frame_with<CreateRoom>(object, "room");
  if (action == "join_room") return client_frame_with<JoinRoom>(object, "room");
  if (action == "delete_room") return client_frame_with<DeleteRoom>(object, "room");
  if (action == "resume") return decode_resume(object);
  if (action == "history") return decode_history(object);
  if (action == "register") return decode_register(object);
  if (action == "logout") return ClientFrame{Logout{}};
  if (action == "change_password") return decode_change_password(object);
  if (action == "sessions") return ClientFrame{ListSessions{}};
  if (action == "end_session") return client_frame_with<EndSession>(object, "session");
  return unknown_action(action);
}

Result<std::vector<std::string>> string_array_field(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return Error{ErrorCode::missing_field, std::string("\"") + name + "\""};
  if (!it->is_array()) return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must be an array"};
  std::vector<std::string> values;
  values.reserve(it->size());
  for (const auto& value : *it) {
    if (!value.is_string()) return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must hold strings"};
    values.push_back(value.get<std::string>());
  }
  return values;
}

Result<ServerFrame> decode_rooms(const Json& object) {
  auto rooms = string_array_field(object, "rooms");
  if (!rooms) return rooms.error();
  return ServerFrame{RoomsFrame{std::move(rooms).value()}};
}

Result<ChatLine> decode_chat_line(const Json& object) {
  if (!object.is_object()) return Error{ErrorCode::wrong_type, "\"lines\" must hold objects"};
  auto id = integer_field(object, "id", 0, 0, INT64_MAX);
  auto ts = integer_field(object, "ts", 0, 0, INT64_MAX);
  auto user = string_field(object, "user");
  auto text = string_field(object, "text");
  if (!id) return id.error();
  if (!ts) return ts.error();
  if (!user) return user.error();
  if (!text) return text.error();
  return ChatLine{id.value(), ts.value(), std::move(user).value(), std::move(text).value()};
}

Result<ServerFrame> decode_history_frame(const Json& object) {
  auto room = string_field(object, "room");
  auto request_id = request_id_field(object);
  if (!room) return room.error();
  if (!request_id) return request_id.error();
  const auto lines = object.find("lines");
  if (lines == object.end() || !lines->is_array()) return Error{ErrorCode::wrong_type, "\"lines\" must be an array"};
  HistoryFrame frame{std::move(room).value(), {}, optional_bool_field(object, "more"), std::move(request_id).value()};
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
  if (!room) return room.error();
  if (!users) return users.error();
  return ServerFrame{MembersFrame{std::move(room).value(), std::move(users).value()}};
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
  return ServerFrame{PresenceFrame{std::move(room).value(), std::move(user).value(), event.value() == "joined"}};
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

Result<ServerFrame> decode_message(const Json& object) {
  auto message = string_field(object, "message");
  auto error = optional_string_field(object, "error");
  auto event = optional_string_field(object, "event");
  auto user = optional_string_field(object, "user");
  auto room = optional_string_field(object, "room");
  auto token = optional_string_field(object, "token");
  auto text = optional_string_field(object, "text");
  auto session = optional_string_field(object, "session");
  for (const auto* field : {&message, &error, &event, &user, &room, &token, &text, &session}) {
    if (!*field) return field->error();
  }
  auto request_id = request_id_field(object);
  auto version = integer_field(object, "version", 0, 0, 1000);
  auto id = integer_field(object, "id", 0, 0, INT64_MAX);
  auto ts = integer_field(object, "ts", 0, 0, INT64_MAX);
  auto retry_after_ms = integer_field(object, "retry_after_ms", 0, 0, INT64_MAX);
  if (!request_id) return request_id.error();
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
  return unknown_action(action);
}

// ---- Encoding -------------------------------------------------------------------------------

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;  // UTF-8 passes through untouched: no normalisation, byte for byte
        }
    }
  }
  out += '"';
}

class ObjectWriter {
 public:
  explicit ObjectWriter(std::string_view action) {
    out_ = "{\"action\":";
    append_json_string(out_, action);
  }
  ObjectWriter& field(const char* name, std::string_view value) {
    key(name);
    append_json_string(out_, value);
    return *this;
  }
  ObjectWriter& optional_field(const char* name, std::string_view value) {
    return value.empty() ? *this : field(name, value);
  }
  ObjectWriter& number(const char* name, std::int64_t value) {
    key(name);
    out_ += std::to_string(value);
    return *this;
  }
  ObjectWriter& optional_number(const char* name, std::int64_t value) {
    return value == 0 ? *this : number(name, value);
  }
  ObjectWriter& boolean(const char* name, bool value) {
    key(name);
    out_ += value ? "true" : "false";
    return *this;
  }
  // A value that is already compact JSON (the echoed request_id).
  ObjectWriter& optional_raw(const char* name, std::string_view json) {
    if (json.empty()) return *this;
    key(name);
    out_ += json;
    return *this;
  }
  ObjectWriter& lines(const std::vector<ChatLine>& lines) {
    key("lines");
    out_ += '[';
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += "{\"id\":" + std::to_string(lines[i].id) + ",\"ts\":" + std::to_string(lines[i].ts) + ",\"user\":";
      append_json_string(out_, lines[i].user);
      out_ += ",\"text\":";
      append_json_string(out_, lines[i].text);
      out_ += '}';
    }
    out_ += ']';
    return *this;
  }
  ObjectWriter& optional_true(const char* name, bool value) { return value ? boolean(name, true) : *this; }
  ObjectWriter& sessions(const std::vector<SessionInfo>& sessions) {
    key("sessions");
    out_ += '[';
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += "{\"id\":";
      append_json_string(out_, sessions[i].id);
      out_ += ",\"created_ms\":" + std::to_string(sessions[i].created_ms) +
              ",\"last_used_ms\":" + std::to_string(sessions[i].last_used_ms) +
              ",\"current\":" + (sessions[i].current ? "true" : "false") + '}';
    }
    out_ += ']';
    return *this;
  }
  ObjectWriter& string_array(const char* name, const std::vector<std::string>& values) {
    key(name);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      append_json_string(out_, values[i]);
    }
    out_ += ']';
    return *this;
  }
  std::string finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void key(const char* name) {
    out_ += ",\"";
    out_ += name;
    out_ += "\":";
  }

  std::string out_;
};

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
    return finish(ObjectWriter("history").field("room", f.room).optional_number("before_id", f.before_id).number("limit", f.limit));
  }
  std::string operator()(const SendMessage& f) const {
    return finish(ObjectWriter("send_message").field("message", f.message));
  }
  std::string operator()(const CreateRoom& f) const {
    return finish(ObjectWriter("create_room").field("room", f.room));
  }
  std::string operator()(const JoinRoom& f) const {
    return finish(ObjectWriter("join_room").field("room", f.room));
  }
  std::string operator()(const DeleteRoom& f) const {
    return finish(ObjectWriter("delete_room").field("room", f.room));
  }
};

struct ServerEncoder {
  std::string operator()(const MessageFrame& f) const {
    ObjectWriter writer("message");
    writer.field("message", f.message);
    if (f.error) writer.field("error", to_string(*f.error));
    writer.optional_field("event", to_string(f.event));
    writer.optional_field("user", f.user).optional_field("room", f.room);
    writer.optional_number("id", f.id).optional_number("ts", f.ts);
    if (f.has_text) writer.field("text", f.chat_text());
    writer.optional_field("token", f.token).optional_number("version", f.version);
    writer.optional_number("retry_after_ms", f.retry_after_ms);
    writer.optional_true("account", f.account).optional_true("registered", f.registered);
    writer.optional_field("session", f.session);
    writer.optional_raw("request_id", f.request_id);
    return writer.finish();
  }
  std::string operator()(const RoomsFrame& f) const {
    return ObjectWriter("rooms").string_array("rooms", f.rooms).finish();
  }
  std::string operator()(const HistoryFrame& f) const {
    ObjectWriter writer("history");
    writer.field("room", f.room).lines(f.lines).boolean("more", f.more).optional_raw("request_id", f.request_id);
    return writer.finish();
  }
  std::string operator()(const MembersFrame& f) const {
    return ObjectWriter("members").field("room", f.room).string_array("users", f.users).finish();
  }
  std::string operator()(const PresenceFrame& f) const {
    return ObjectWriter("presence").field("room", f.room).field("user", f.user)
        .field("event", f.joined ? "joined" : "left").finish();
  }
  std::string operator()(const SessionsFrame& f) const {
    return ObjectWriter("sessions").sessions(f.sessions).optional_raw("request_id", f.request_id).finish();
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

Result<ServerFrame> decode_server_frame(std::string_view text, const Limits& limits) {
  auto parsed = parse_object(text, limits);
  if (!parsed) return parsed.error();
  auto action = string_field(parsed.value(), "action");
  if (!action) return action.error();
  return decode_server_action(parsed.value(), action.value());
}

std::string encode(const ClientFrame& frame) { return std::visit(ClientEncoder{}, frame); }
std::string encode(const ClientFrame& frame, std::string_view request_id) {
  return std::visit(ClientEncoder{request_id}, frame);
}
std::string encode(const ServerFrame& frame) { return std::visit(ServerEncoder{}, frame); }

}  // namespace chat
