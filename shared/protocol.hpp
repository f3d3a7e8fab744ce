// The typed frames of the wire protocol (docs/PROTOCOL.md is the authority on the JSON).
// Plain data only: reading and writing JSON is codec.hpp's job, checking values validate.hpp's.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "error.hpp"

namespace chat {

// ---- Client to server -------------------------------------------------------------------------
struct Login {
  std::string user;
};
struct SendMessage {
  std::string message;
};
struct CreateRoom {
  std::string room;
};
struct JoinRoom {
  std::string room;
};
using ClientFrame = std::variant<Login, SendMessage, CreateRoom, JoinRoom>;

// ---- Server to client -------------------------------------------------------------------------
// What a `message` frame reports, beyond the seed's human text. Seed clients ignore it.
enum class Event {
  none,          // plain notice, no extra field
  chat,          // a chat line: user and room are set, message is "USER: TEXT"
  logged_in,     // login accepted: user is set
  joined,        // join accepted: room is set
  room_created,  // create accepted: room is set
};

struct MessageFrame {
  std::string message;              // the seed's field: what a person reads
  Event event = Event::none;
  std::optional<ErrorCode> error;   // set on refusals (then event is none)
  std::string user;                 // empty = absent
  std::string room;                 // empty = absent

  // For a chat line: the text after "USER: ".
  std::string_view chat_text() const;
};

struct RoomsFrame {
  std::vector<std::string> rooms;
};
using ServerFrame = std::variant<MessageFrame, RoomsFrame>;

// Builders for the frames the server sends, so that the seed's formats live in one place.
MessageFrame chat_line(std::string user, std::string room, std::string_view text);
MessageFrame refusal(const Error& error);
MessageFrame notice(Event event, std::string message, std::string user, std::string room);

std::string_view to_string(Event event);
std::optional<Event> event_from_string(std::string_view text);

}  // namespace chat
