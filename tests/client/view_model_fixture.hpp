// The ViewModel tests' fixture: plays the server by encoding typed frames with the shared codec
// (so they go through the client's decoder as on the wire) and decodes what the client sent.
// Like the real server, an answer (an acknowledgement or a refusal) echoes the request_id of the
// request it answers: by default the latest one the client sent.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/view_model.hpp"
#include "shared/codec.hpp"

namespace chat::client {

// A resume token in the server's shape (id.secret), for the tests that play a version-2 server.
constexpr const char* kToken = "465c1a131b47671a.5599041afcbeb08976355cb5e44feb7a";

class ViewModelTest : public ::testing::Test {
 protected:
  void server_sends(const ServerFrame& frame) { vm_.on_text(encode(frame), now_); }
  void server_sends_rooms(std::vector<std::string> rooms) { server_sends(RoomsFrame{rooms, {}, {}}); }
  // An answer to the latest request the client sent.
  void server_answers(MessageFrame frame) { server_answers(last_request_id(), std::move(frame)); }
  void server_answers(const std::string& request_id, MessageFrame frame) {
    frame.request_id = request_id;
    server_sends(frame);
  }
  void server_answers(HistoryFrame page) {
    page.request_id = last_request_id();
    server_sends(page);
  }
  void server_refuses(ErrorCode code, std::string detail) {
    server_answers(refusal(Error{code, std::move(detail)}));
  }
  // A version-1 acknowledgement: no token, so the client can only log in again after a drop.
  void server_accepts_login(const std::string& name) {
    server_answers(notice(Event::logged_in, "Welcome, " + name + "!", name, ""));
  }
  void server_accepts_login_v2(const std::string& name, const std::string& token) {
    MessageFrame ack = notice(Event::logged_in, "Welcome, " + name + "!", name, "");
    ack.token = token;
    ack.version = kCurrentVersion;
    server_answers(ack);
  }
  void server_resumes(const std::string& name, const std::string& room, const std::string& token) {
    MessageFrame ack = notice(Event::resumed, "Welcome, " + name + "!", name, room);
    ack.token = token;
    ack.version = kCurrentVersion;
    server_answers(ack);
  }
  void server_says_joined(const std::string& room) {
    server_sends(notice(Event::joined, "You joined " + room, "", room));
  }

  struct SentRequest {
    ClientFrame frame;
    std::string request_id;  // as on the wire (compact JSON)
  };
  // The requests the client sent since the last call, decoded back with their ids.
  std::vector<SentRequest> sent_requests() {
    read_wire();
    return std::exchange(unread_, {});
  }
  // The frames the client sent since the last call, decoded back.
  std::vector<ClientFrame> sent() {
    std::vector<ClientFrame> frames;
    for (auto& request : sent_requests()) frames.push_back(std::move(request.frame));
    return frames;
  }
  std::string last_request_id() {
    read_wire();
    return last_request_id_;
  }

  void connect_and_login(const std::string& name) {
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
    server_sends_rooms({"general"});
    ASSERT_TRUE(vm_.login(name));
    sent();
    server_accepts_login(name);
  }

  // The ids of the chat lines the current room shows, in order.
  std::vector<std::int64_t> shown_ids() const {
    std::vector<std::int64_t> ids;
    for (const auto& line : vm_.visible_log()) {
      if (line.kind == LogLine::Kind::chat) ids.push_back(line.id);
    }
    return ids;
  }

  ViewModel vm_;
  double now_ = 100.0;

 private:
  // Moves what the client wrote into unread_, noting the latest request's id.
  void read_wire() {
    for (const auto& text : vm_.take_outgoing()) {
      ClientRequest request = decode_client_request(text, Limits{});
      EXPECT_TRUE(request.frame.ok()) << text;
      EXPECT_FALSE(request.request_id.empty()) << "every request names itself: " << text;
      if (request.frame) unread_.push_back(SentRequest{request.frame.value(), request.request_id});
      last_request_id_ = request.request_id;
    }
  }

  std::vector<SentRequest> unread_;
  std::string last_request_id_;
};

// A seed chat line (no id), as a version-1 connection receives it.
inline MessageFrame chat_from(const std::string& user, const std::string& room,
                              const std::string& text) {
  return chat_line(room, ChatLine{0, 0, user, text}, false);
}

// A version-2 chat line with its id and time.
inline MessageFrame chat_v2(const std::string& room, std::int64_t id, const std::string& user = "ann") {
  return chat_line(room, ChatLine{id, 1'700'000'000'000 + id, user, "line " + std::to_string(id)}, true);
}

// A history frame holding the lines first..last (none if first > last).
inline HistoryFrame history(const std::string& room, std::int64_t first, std::int64_t last, bool more) {
  HistoryFrame frame{room, {}, more, "", ""};
  for (std::int64_t id = first; id <= last; ++id) {
    frame.lines.push_back(ChatLine{id, 1'700'000'000'000 + id, "ann", "line " + std::to_string(id)});
  }
  return frame;
}

inline std::vector<std::int64_t> ids(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (std::int64_t id = first; id <= last; ++id) out.push_back(id);
  return out;
}

// Typed-frame comparisons read better than JSON text comparisons.
inline bool is_login(const ClientFrame& frame, const std::string& name) {
  const auto* login = std::get_if<Login>(&frame);
  return login && login->user == name;
}
inline bool is_join(const ClientFrame& frame, const std::string& room) {
  const auto* join = std::get_if<JoinRoom>(&frame);
  return join && join->room == room;
}

}  // namespace chat::client
