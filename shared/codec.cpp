// Decoding runs cheap guards first (size, UTF-8, nesting depth) so that nlohmann only ever sees
// bounded, well-formed-enough input; it is then called with exceptions disabled and every field's
// type is checked before it is read. Encoding is written by hand: it fixes key order ("action"
// first, as the seed's clients print it) and is the hot path of every broadcast.
#include "codec.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

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

Result<Json> parse_object(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_frame_bytes) {
    return Error{ErrorCode::frame_too_large, std::to_string(text.size()) + " bytes, the limit is " +
                                                 std::to_string(limits.max_frame_bytes)};
  }
  if (!utf8::is_valid(text)) return Error{ErrorCode::invalid_utf8, ""};
  if (nesting_exceeds(text, limits.max_json_depth)) {
    return Error{ErrorCode::too_deep, "more than " + std::to_string(limits.max_json_depth) + " levels"};
  }
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Error{ErrorCode::bad_json, ""};
  if (!json.is_object()) return Error{ErrorCode::not_object, ""};
  return json;
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

template <class Frame>
Result<ClientFrame> client_frame_with(const Json& object, const char* field) {
  auto value = string_field(object, field);
  if (!value) return value.error();
  return ClientFrame{Frame{std::move(value).value()}};
}

Result<ServerFrame> decode_rooms(const Json& object) {
  const auto it = object.find("rooms");
  if (it == object.end()) return Error{ErrorCode::missing_field, "\"rooms\""};
  if (!it->is_array()) return Error{ErrorCode::wrong_type, "\"rooms\" must be an array"};
  RoomsFrame frame;
  frame.rooms.reserve(it->size());
  for (const auto& room : *it) {
    if (!room.is_string()) return Error{ErrorCode::wrong_type, "\"rooms\" must hold strings"};
    frame.rooms.push_back(room.get<std::string>());
  }
  return ServerFrame{std::move(frame)};
}

Result<ServerFrame> decode_message(const Json& object) {
  auto message = string_field(object, "message");
  auto error = optional_string_field(object, "error");
  auto event = optional_string_field(object, "event");
  auto user = optional_string_field(object, "user");
  auto room = optional_string_field(object, "room");
  for (const auto* field : {&message, &error, &event, &user, &room}) {
    if (!*field) return field->error();
  }
  MessageFrame frame;
  frame.message = std::move(message).value();
  frame.user = std::move(user).value();
  frame.room = std::move(room).value();
  // Codes and events this build does not know are kept as "some refusal" / "plain notice", so
  // that an older client keeps working against a newer server.
  if (!error.value().empty()) {
    frame.error = error_code_from_string(error.value()).value_or(ErrorCode::other);
  }
  frame.event = event_from_string(event.value()).value_or(Event::none);
  return ServerFrame{std::move(frame)};
}

// The refusal echoes the action, cut short so a hostile name cannot make the reply large.
Error unknown_action(std::string_view action) {
  return Error{ErrorCode::unknown_action, "\"" + std::string(utf8::truncate(action, 64)) + "\""};
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
    out_ += ",\"";
    out_ += name;
    out_ += "\":";
    append_json_string(out_, value);
    return *this;
  }
  ObjectWriter& optional_field(const char* name, std::string_view value) {
    return value.empty() ? *this : field(name, value);
  }
  ObjectWriter& string_array(const char* name, const std::vector<std::string>& values) {
    out_ += ",\"";
    out_ += name;
    out_ += "\":[";
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
  std::string out_;
};

struct ClientEncoder {
  std::string operator()(const Login& f) const { return ObjectWriter("login").field("user", f.user).finish(); }
  std::string operator()(const SendMessage& f) const {
    return ObjectWriter("send_message").field("message", f.message).finish();
  }
  std::string operator()(const CreateRoom& f) const {
    return ObjectWriter("create_room").field("room", f.room).finish();
  }
  std::string operator()(const JoinRoom& f) const {
    return ObjectWriter("join_room").field("room", f.room).finish();
  }
};

struct ServerEncoder {
  std::string operator()(const MessageFrame& f) const {
    ObjectWriter writer("message");
    writer.field("message", f.message);
    if (f.error) writer.field("error", to_string(*f.error));
    writer.optional_field("event", to_string(f.event));
    writer.optional_field("user", f.user).optional_field("room", f.room);
    return writer.finish();
  }
  std::string operator()(const RoomsFrame& f) const {
    return ObjectWriter("rooms").string_array("rooms", f.rooms).finish();
  }
};

}  // namespace

Result<ClientFrame> decode_client_frame(std::string_view text, const Limits& limits) {
  auto parsed = parse_object(text, limits);
  if (!parsed) return parsed.error();
  const Json& object = parsed.value();
  auto action = string_field(object, "action");
  if (!action) return action.error();
  const std::string& name = action.value();
  if (name == "login") return client_frame_with<Login>(object, "user");
  if (name == "send_message") return client_frame_with<SendMessage>(object, "message");
  if (name == "create_room") return client_frame_with<CreateRoom>(object, "room");
  if (name == "join_room") return client_frame_with<JoinRoom>(object, "room");
  return unknown_action(name);
}

Result<ServerFrame> decode_server_frame(std::string_view text, const Limits& limits) {
  auto parsed = parse_object(text, limits);
  if (!parsed) return parsed.error();
  const Json& object = parsed.value();
  auto action = string_field(object, "action");
  if (!action) return action.error();
  if (action.value() == "message") return decode_message(object);
  if (action.value() == "rooms") return decode_rooms(object);
  return unknown_action(action.value());
}

std::string encode(const ClientFrame& frame) { return std::visit(ClientEncoder{}, frame); }
std::string encode(const ServerFrame& frame) { return std::visit(ServerEncoder{}, frame); }

}  // namespace chat
