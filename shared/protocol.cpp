// Builders and names for the typed frames.
#include "protocol.hpp"

#include <array>
#include <utility>

namespace chat {
namespace {

constexpr std::array<std::pair<Event, std::string_view>, 12> kEvents{{
    {Event::none, ""},
    {Event::chat, "chat"},
    {Event::logged_in, "logged_in"},
    {Event::joined, "joined"},
    {Event::room_created, "room_created"},
    {Event::resumed, "resumed"},
    {Event::room_deleted, "room_deleted"},
    {Event::logged_out, "logged_out"},
    {Event::password_changed, "password_changed"},
    {Event::session_ended, "session_ended"},
    {Event::member_added, "member_added"},
    {Event::member_removed, "member_removed"},
}};

}  // namespace

// Fuzzing found that cutting len(user) + 2 bytes blindly, from a chat line whose message does not
// start with "USER: " (e.g. no "user" field), can split a UTF-8 sequence and yields text that is
// not the line's; such a frame's whole message is the text (tests/fuzz/regressions/fuzz_codec/).
std::string_view MessageFrame::chat_text() const {
  const std::string_view text(message);
  const std::size_t prefix = user.size() + 2;  // "USER: "
  const bool has_prefix = text.size() >= prefix && text.compare(0, user.size(), user) == 0 &&
                          text.compare(user.size(), 2, ": ") == 0;
  if (event != Event::chat || !has_prefix) return message;
  return text.substr(prefix);
}

MessageFrame chat_line(const std::string& room, const ChatLine& line, bool with_details) {
  MessageFrame frame;
  frame.message.reserve(line.user.size() + 2 + line.text.size());
  frame.message.append(line.user).append(": ").append(line.text);
  frame.event = Event::chat;
  frame.user = line.user;
  frame.room = room;
  if (with_details) {
    frame.id = line.id;
    frame.ts = line.ts;
    frame.has_text = true;
    frame.mentions = line.mentions;
  }
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
