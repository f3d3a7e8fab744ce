// Every handler checks in the same order: logged in, then the shared validation rules, then the
// state (name free, room exists), and only then changes anything, so a refusal has no effect.
#include "server/core/chat_service.hpp"

#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {

ChatService::ChatService(Transport& transport, Limits limits)
    : transport_(transport), limits_(limits) {}

void ChatService::connect(SessionId session) {
  sessions_.insert(session);
  rooms_.place(session, RoomRegistry::kGeneral);
  transport_.send(session, rooms_frame());
}

void ChatService::receive_text(SessionId session, std::string_view text) {
  if (sessions_.count(session) == 0) return;
  auto frame = decode_client_frame(text, limits_);
  if (!frame) return refuse(session, frame.error());
  const bool logged_in = names_.name_of(session) != nullptr;
  if (!logged_in && !std::holds_alternative<Login>(frame.value())) {
    return refuse(session, Error{ErrorCode::not_logged_in, ""});
  }
  std::visit([&](const auto& request) { handle(session, request); }, frame.value());
}

void ChatService::receive_binary(SessionId session) {
  if (sessions_.count(session) == 0) return;
  refuse(session, Error{ErrorCode::binary_frame, "send JSON in text frames"});
}

void ChatService::disconnect(SessionId session) {
  names_.release(session);
  rooms_.remove(session);
  sessions_.erase(session);
}

void ChatService::handle(SessionId session, const Login& login) {
  if (auto error = validate_name(login.user, limits_)) return refuse(session, *error);
  if (!names_.claim(session, login.user)) {
    return refuse(session, Error{ErrorCode::name_taken, login.user});
  }
  reply(session, notice(Event::logged_in, "Welcome, " + login.user + "!", login.user, ""));
}

void ChatService::handle(SessionId session, const SendMessage& send) {
  if (auto error = validate_text(send.message, limits_)) return refuse(session, *error);
  const RoomId room = *rooms_.room_of(session);
  const SharedText line = share(encode(chat_line(*names_.name_of(session), rooms_.name(room), send.message)));
  for (const SessionId member : rooms_.members(room)) transport_.send(member, line);
}

void ChatService::handle(SessionId session, const CreateRoom& create) {
  if (auto error = validate_room(create.room, limits_)) return refuse(session, *error);
  if (rooms_.find(create.room)) return refuse(session, Error{ErrorCode::room_exists, create.room});
  rooms_.create(create.room);
  rooms_frame_.reset();
  reply(session, notice(Event::room_created, "Room " + create.room + " created", "", create.room));
  broadcast_rooms();
}

void ChatService::handle(SessionId session, const JoinRoom& join) {
  if (auto error = validate_room(join.room, limits_)) return refuse(session, *error);
  const auto room = rooms_.find(join.room);
  if (!room) return refuse(session, Error{ErrorCode::no_such_room, join.room});
  if (rooms_.room_of(session) != room) rooms_.place(session, *room);
  reply(session, notice(Event::joined, "You joined " + join.room, "", join.room));
}

void ChatService::reply(SessionId session, const MessageFrame& frame) {
  transport_.send(session, share(encode(ServerFrame{frame})));
}

void ChatService::refuse(SessionId session, const Error& error) { reply(session, refusal(error)); }

void ChatService::broadcast_rooms() {
  const SharedText frame = rooms_frame();
  for (const SessionId session : sessions_) transport_.send(session, frame);
}

SharedText ChatService::rooms_frame() {
  if (!rooms_frame_) rooms_frame_ = share(encode(ServerFrame{RoomsFrame{rooms_.names()}}));
  return rooms_frame_;
}

}  // namespace chat
