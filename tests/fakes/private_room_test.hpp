// AccountTest with the steps private-room and direct-conversation tests share.
#pragma once

#include <string>
#include <vector>

#include "fakes/account_test.hpp"

namespace chat {

class PrivateRoomTest : public AccountTest {
 protected:
  // Sends and completes; the first message frame the session got (its answer).
  // Whatever the session got before is dropped first.
  MessageFrame ask(SessionId id, const ClientFrame& frame) {
    transport_.take(id);
    send(id, frame);
    return first_message(transport_.take(id));
  }
  // Sends raw JSON (to carry a request_id) and completes; every frame the session got.
  std::vector<ServerFrame> ask_raw(SessionId id, const std::string& json) {
    transport_.take(id);
    service_->receive_text(id, json);
    settle();
    return transport_.take(id);
  }
  MessageFrame create_private(SessionId owner, const std::string& room) {
    return ask(owner, CreateRoom{room, true});
  }
  // The message frames of one event among those given.
  static std::vector<MessageFrame> events_of(const std::vector<ServerFrame>& frames, Event event) {
    std::vector<MessageFrame> out;
    for (const auto& message : frames_of<MessageFrame>(frames)) {
      if (message.event == event) out.push_back(message);
    }
    return out;
  }
  static std::string refusal_sentence(const std::string& room) {
    return describe(Error{ErrorCode::no_such_room, room});
  }
};

}  // namespace chat
