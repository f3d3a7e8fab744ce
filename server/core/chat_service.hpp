// The chat core: decides what every client frame means (login, rooms, chat lines, refusals) and
// what is sent to whom. Pure logic: it sees sessions as ids and sends through the Transport port;
// sockets, framing and queues belong to the edge.
#pragma once

#include <string_view>
#include <unordered_set>

#include "server/core/name_registry.hpp"
#include "server/core/room_registry.hpp"
#include "server/ports/session_handler.hpp"
#include "server/ports/transport.hpp"
#include "shared/limits.hpp"
#include "shared/protocol.hpp"

namespace chat {

class ChatService final : public SessionHandler {
 public:
  ChatService(Transport& transport, Limits limits);

  // A WebSocket connection was established: it is sent the room list and placed in general.
  void connect(SessionId session) override;
  // One complete text message from the session.
  void receive_text(SessionId session, std::string_view text) override;
  void receive_binary(SessionId session) override;
  // The connection is gone (closed or dropped): its name is free again.
  void disconnect(SessionId session) override;

  std::size_t session_count() const { return sessions_.size(); }
  const Limits& limits() const { return limits_; }

 private:
  void handle(SessionId session, const Login& login);
  void handle(SessionId session, const SendMessage& send);
  void handle(SessionId session, const CreateRoom& create);
  void handle(SessionId session, const JoinRoom& join);

  void reply(SessionId session, const MessageFrame& frame);
  void refuse(SessionId session, const Error& error);
  void broadcast_rooms();
  SharedText rooms_frame();

  Transport& transport_;
  Limits limits_;
  NameRegistry names_;
  RoomRegistry rooms_;
  std::unordered_set<SessionId> sessions_;
  SharedText rooms_frame_;  // encoded once per change of the room list, sent on every connect
};

}  // namespace chat
