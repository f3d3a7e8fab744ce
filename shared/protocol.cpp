// Builders and names for the typed frames.
#include "protocol.hpp"

#include <array>
#include <utility>

namespace chat {
namespace {

constexpr std::array<std::pair<Event, std::string_view>, 5> kEvents{{
    {Event::none, ""},
    {Event::chat, "chat"},
    {Event::logged_in, "logged_in"},
    {Event::joined, "joined"},
    {Event::room_created, "room_created"},
}};

}  // namespace

std::string_view MessageFrame::chat_text() const {
  const std::size_t prefix = user.size() + 2;  // "USER: "
  if (event != Event::chat || message.size() < prefix) return message;
  return std::string_view(message).substr(prefix);
}

MessageFrame chat_line(std::string user, std::string room, std::string_view text) {
  MessageFrame frame;
  frame.message.reserve(user.size() + 2 + text.size());
  frame.message.append(user).append(": ").append(text);
  frame.event = Event::chat;
  frame.user = std::move(user);
  frame.room = std::move(room);
  return frame;
}

MessageFrame refusal(const Error& error) {
  MessageFrame frame;
  frame.message = describe(error);
  frame.error = error.code;
  return frame;
}

MessageFrame notice(Event event, std::string message, std::string user, std::string room) {
  MessageFrame frame;
  frame.message = std::move(message);
  frame.event = event;
  frame.user = std::move(user);
  frame.room = std::move(room);
  return frame;
}

std::string_view to_string(Event event) {
  for (const auto& [value, name] : kEvents) {
    if (value == event) return name;
  }
  return "";
}

std::optional<Event> event_from_string(std::string_view text) {
  for (const auto& [value, name] : kEvents) {
    if (value != Event::none && name == text) return value;
  }
  return std::nullopt;
}

}  // namespace chat
