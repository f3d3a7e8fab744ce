// The chat protocol on top of WsTestClient: frames are written and read with the shared codec, and
// each expect_* throws HarnessFailure quoting the raw frame when the server's answer differs.
// Version 2 (login "version":2, resume) keeps the resume token it was given.
#pragma once

#include <string>
#include <vector>

#include "kit_names.hpp"
#include "shared/codec.hpp"

namespace chat_it {

class ChatTestClient : public WsTestClient {
 public:
  using WsTestClient::WsTestClient;

  void send(const chat::ClientFrame& frame) { send_text(chat::encode(frame)); }
  // Sends login and expects the welcome; remembers the name for expect_served and the like.
  void login(const std::string& name);
  // As login, but a name_taken refusal returns false instead of failing.
  bool try_login(const std::string& name);
  // v2 login: the welcome must carry version 2 and a token. Members and history follow; not read here.
  void login_v2(const std::string& name);
  // Sends resume and expects the resumed reply for `user` in `room`; members and history follow.
  void resume(const chat::Resume& resume, const std::string& user, const std::string& room);

  // The next frame, which must be a text frame the shared codec decodes.
  chat::ServerFrame next_json(milliseconds timeout = kReplyTimeout);
  chat::MessageFrame expect_message(milliseconds timeout = kReplyTimeout);
  // The answer to a login or resume: room lists sent before it took effect are skipped.
  chat::MessageFrame expect_login_answer();
  std::vector<std::string> expect_rooms(milliseconds timeout = kReplyTimeout);
  chat::MessageFrame expect_refusal(chat::ErrorCode code, milliseconds timeout = kReplyTimeout);
  // A chat line: message "USER: TEXT" with event chat, user and room set, no error.
  chat::MessageFrame expect_chat(const std::string& user, const std::string& room, const std::string& text,
                                 milliseconds timeout = kReplyTimeout);
  // As expect_chat, for a v2 receiver: the line must also carry its id, ts and text.
  chat::ChatLine expect_chat_v2(const std::string& user, const std::string& room, const std::string& text);
  chat::HistoryFrame expect_history(const std::string& room);
  chat::MembersFrame expect_members(const std::string& room);
  void expect_presence(const std::string& room, const std::string& user, bool joined);
  void expect_joined(const std::string& room);
  void expect_room_created(const std::string& room);

  const std::string& name() const { return name_; }
  const std::string& last_raw() const { return last_raw_; }
  const std::string& token() const { return token_; }

 private:
  chat::MessageFrame expect_event(chat::Event event, const std::string& user, const std::string& room,
                                  const std::string& message);
  template <class Frame>
  Frame expect_frame(const char* what);
  // `frame` as a message frame, failing if it is another kind or carries both event and error.
  chat::MessageFrame checked_message(chat::ServerFrame frame);
  void take_v2_welcome(const chat::MessageFrame& reply, const std::string& name);
  std::string name_;
  std::string token_;
  std::string last_raw_;
};

}  // namespace chat_it
