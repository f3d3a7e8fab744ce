// The chat protocol on top of WsTestClient: frames are written and read with the shared codec, and
// each expect_* throws HarnessFailure quoting the raw frame when the server's answer differs.
#pragma once

#include <string>
#include <vector>

#include "shared/codec.hpp"
#include "ws_test_client.hpp"

namespace chat_it {

class ChatTestClient : public WsTestClient {
 public:
  using WsTestClient::WsTestClient;

  void send(const chat::ClientFrame& frame) { send_text(chat::encode(frame)); }
  // Sends login and expects the welcome; remembers the name for expect_served and the like.
  void login(const std::string& name);
  // As login, but a name_taken refusal returns false instead of failing.
  bool try_login(const std::string& name);

  // The next frame, which must be a text frame the shared codec decodes.
  chat::ServerFrame next_json(milliseconds timeout = kReplyTimeout);
  chat::MessageFrame expect_message(milliseconds timeout = kReplyTimeout);
  std::vector<std::string> expect_rooms(milliseconds timeout = kReplyTimeout);
  chat::MessageFrame expect_refusal(chat::ErrorCode code, milliseconds timeout = kReplyTimeout);
  // A chat line: message "USER: TEXT" with event chat, user and room set, no error.
  void expect_chat(const std::string& user, const std::string& room, const std::string& text,
                   milliseconds timeout = kReplyTimeout);
  void expect_joined(const std::string& room);
  void expect_room_created(const std::string& room);

  const std::string& name() const { return name_; }
  const std::string& last_raw() const { return last_raw_; }

 private:
  chat::MessageFrame expect_event(chat::Event event, const std::string& user, const std::string& room,
                                  const std::string& message);
  std::string name_;
  std::string last_raw_;
};

}  // namespace chat_it
