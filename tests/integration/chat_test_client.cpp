// Chat-level expectations. A mismatch names what was expected and quotes what came.
#include "chat_test_client.hpp"

namespace chat_it {
namespace {

// Server frames are decoded with a large frame cap: limiting their size is not this client's job.
const chat::Limits kClientLimits = [] {
  chat::Limits limits;
  limits.max_frame_bytes = 64 * 1024 * 1024;
  return limits;
}();

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? ",\"" : "\"") + item + "\"";
  return out + "]";
}

// The fields an expectation checks, for failure messages (not JSON: field order is not claimed).
std::string describe_expected(chat::Event event, const std::string& user, const std::string& room,
                              const std::string& message) {
  return "message{event=" + std::string(chat::to_string(event)) + " user=\"" + user + "\" room=\"" + room +
         "\" message=\"" + preview(message) + "\"}";
}

}  // namespace

chat::ServerFrame ChatTestClient::next_json(milliseconds timeout) {
  const auto message = receive(timeout);
  if (!message) fail("expected a frame within " + std::to_string(timeout.count()) + " ms, got nothing");
  if (message->kind != WsMessage::Kind::text) fail("expected a JSON text frame, got " + message->describe());
  last_raw_ = message->data;
  auto decoded = chat::decode_server_frame(last_raw_, kClientLimits);
  if (!decoded) {
    fail("server frame the shared codec refuses (" + chat::describe(decoded.error()) +
                         "): " + preview(last_raw_));
  }
  return std::move(decoded).value();
}

chat::MessageFrame ChatTestClient::expect_message(milliseconds timeout) { return checked_message(next_json(timeout)); }

chat::MessageFrame ChatTestClient::checked_message(chat::ServerFrame frame) {
  if (!std::holds_alternative<chat::MessageFrame>(frame)) {
    fail("expected a message frame, got " + preview(last_raw_));
  }
  auto message = std::get<chat::MessageFrame>(std::move(frame));
  if (message.error && message.event != chat::Event::none) {
    fail("frame carries both event and error: " + preview(last_raw_));
  }
  return message;
}

std::vector<std::string> ChatTestClient::expect_rooms(milliseconds timeout) {
  auto frame = next_json(timeout);
  if (!std::holds_alternative<chat::RoomsFrame>(frame)) {
    fail("expected a rooms frame, got " + preview(last_raw_));
  }
  auto rooms = std::get<chat::RoomsFrame>(std::move(frame)).rooms;
  if (rooms.empty() || rooms.front() != "general") {
    fail("rooms list must start with general: " + join(rooms));
  }
  return rooms;
}

chat::MessageFrame ChatTestClient::expect_refusal(chat::ErrorCode code, milliseconds timeout) {
  auto message = expect_message(timeout);
  if (message.error != code) {
    fail("expected refusal " + std::string(chat::to_string(code)) + ", got " + preview(last_raw_));
  }
  if (message.message.empty()) fail("refusal without a human sentence: " + preview(last_raw_));
  return message;
}

chat::MessageFrame ChatTestClient::expect_event(chat::Event event, const std::string& user,
                                                const std::string& room, const std::string& text) {
  auto message = expect_message();
  if (message.event != event || message.error || message.user != user || message.room != room ||
      message.message != text) {
    fail("expected " + describe_expected(event, user, room, text) + "\n          got " +
                         preview(last_raw_));
  }
  return message;
}

void ChatTestClient::login(const std::string& name) {
  if (!try_login(name)) fail("login " + name + " refused: " + preview(last_raw_));
}

// Until its login takes effect a connection is a seed client, and a seed client is sent the room
// list whenever rooms change (at most once a second): one may arrive before the login's answer
// (seen under a CPU hog, with rooms created by earlier connections of the same test).
chat::MessageFrame ChatTestClient::expect_login_answer() {
  chat::ServerFrame frame = next_json();
  while (std::holds_alternative<chat::RoomsFrame>(frame)) {
    frame = next_json();
  }
  return checked_message(std::move(frame));
}

bool ChatTestClient::try_login(const std::string& name) {
  send(chat::Login{name});
  const auto reply = expect_login_answer();
  if (reply.error == chat::ErrorCode::name_taken) return false;
  if (reply.event != chat::Event::logged_in || reply.error || reply.user != name || !reply.room.empty() ||
      reply.message != "Welcome, " + name + "!") {
    fail("expected " + describe_expected(chat::Event::logged_in, name, "", "Welcome, " + name + "!") +
                         "\n          got " + preview(last_raw_));
  }
  name_ = name;
  set_label(name);
  return true;
}

chat::MessageFrame ChatTestClient::expect_chat(const std::string& user, const std::string& room,
                                              const std::string& text, milliseconds timeout) {
  auto message = expect_message(timeout);
  const std::string line = user + ": " + text;  // the seed's chat line
  if (message.event != chat::Event::chat || message.error || message.user != user || message.room != room ||
      message.message != line) {
    fail("expected " + describe_expected(chat::Event::chat, user, room, line) + "\n          got " +
                         preview(last_raw_));
  }
  return message;
}

chat::ChatLine ChatTestClient::expect_chat_v2(const std::string& user, const std::string& room,
                                              const std::string& text) {
  const auto message = expect_chat(user, room, text);
  const chat::ChatLine line{message.id, message.ts, user, text};
  // Byte for byte what the shared codec writes for this line: checks "text" and the field order.
  const std::string documented = chat::encode(chat::ServerFrame{chat::chat_line(room, line, true)});
  if (line.id <= 0 || line.ts <= 0 || last_raw_ != documented) {
    fail("expected a v2 chat line with id, ts and text like\n  " + preview(documented) + "\ngot\n  " +
         preview(last_raw_));
  }
  return line;
}

template <class Frame>
Frame ChatTestClient::expect_frame(const char* what) {
  auto frame = next_json();
  if (!std::holds_alternative<Frame>(frame)) fail(std::string("expected a ") + what + " frame, got " + preview(last_raw_));
  return std::get<Frame>(std::move(frame));
}

chat::HistoryFrame ChatTestClient::expect_history(const std::string& room) {
  auto history = expect_frame<chat::HistoryFrame>("history");
  if (history.room != room) fail("expected the history of " + room + ", got " + preview(last_raw_));
  return history;
}

chat::MembersFrame ChatTestClient::expect_members(const std::string& room) {
  auto members = expect_frame<chat::MembersFrame>("members");
  if (members.room != room) fail("expected the members of " + room + ", got " + preview(last_raw_));
  return members;
}

void ChatTestClient::expect_presence(const std::string& room, const std::string& user, bool joined) {
  const auto presence = expect_frame<chat::PresenceFrame>("presence");
  if (presence.room != room || presence.user != user || presence.joined != joined) {
    fail("expected presence{room=\"" + room + "\" user=\"" + user + "\" event=" + (joined ? "joined" : "left") +
         "}, got " + preview(last_raw_));
  }
}

void ChatTestClient::login_v2(const std::string& name) {
  send(chat::Login{name, chat::kCurrentVersion});
  const auto reply = expect_login_answer();
  if (reply.event != chat::Event::logged_in || reply.error || reply.user != name || !reply.room.empty() ||
      reply.message != "Welcome, " + name + "!") {
    fail("expected " + describe_expected(chat::Event::logged_in, name, "", "Welcome, " + name + "!") +
         " (v2)\n          got " + preview(last_raw_));
  }
  take_v2_welcome(reply, name);
}

void ChatTestClient::resume(const chat::Resume& resume, const std::string& user, const std::string& room) {
  send(resume);
  const auto reply = expect_login_answer();
  if (reply.event != chat::Event::resumed || reply.error || reply.user != user || reply.room != room ||
      reply.message != "Welcome, " + user + "!") {
    fail("expected " + describe_expected(chat::Event::resumed, user, room, "Welcome, " + user + "!") +
         "\n          got " + preview(last_raw_));
  }
  take_v2_welcome(reply, user);
}

void ChatTestClient::take_v2_welcome(const chat::MessageFrame& reply, const std::string& name) {
  if (reply.version != chat::kCurrentVersion || reply.token.find('.') == std::string::npos) {
    fail("a v2 welcome needs \"version\":2 and an ID.SECRET token: " + preview(last_raw_));
  }
  name_ = name;
  token_ = reply.token;
  set_label(name);
}

void ChatTestClient::expect_joined(const std::string& room) {
  expect_event(chat::Event::joined, "", room, "You joined " + room);
}

void ChatTestClient::expect_room_created(const std::string& room) {
  expect_event(chat::Event::room_created, "", room, "Room " + room + " created");
}

}  // namespace chat_it
