// The ViewModel tests' fixture: plays the server by encoding typed frames with the shared codec
// (so they go through the client's decoder as on the wire) and decodes what the client sent.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "app/view_model.hpp"
#include "shared/codec.hpp"

namespace chat::client {

class ViewModelTest : public ::testing::Test {
 protected:
  void server_sends(const ServerFrame& frame) { vm_.on_text(encode(frame), now_); }
  void server_sends_rooms(std::vector<std::string> rooms) { server_sends(RoomsFrame{rooms}); }
  void server_refuses(ErrorCode code, std::string detail) {
    server_sends(refusal(Error{code, std::move(detail)}));
  }
  // A version-1 acknowledgement: no token, so the client can only log in again after a drop.
  void server_accepts_login(const std::string& name) {
    server_sends(notice(Event::logged_in, "Welcome, " + name + "!", name, ""));
  }
  void server_accepts_login_v2(const std::string& name, const std::string& token) {
    MessageFrame ack = notice(Event::logged_in, "Welcome, " + name + "!", name, "");
    ack.token = token;
    ack.version = kCurrentVersion;
    server_sends(ack);
  }
  void server_resumes(const std::string& name, const std::string& room, const std::string& token) {
    MessageFrame ack = notice(Event::resumed, "Welcome, " + name + "!", name, room);
    ack.token = token;
    ack.version = kCurrentVersion;
    server_sends(ack);
  }
  void server_says_joined(const std::string& room) {
    server_sends(notice(Event::joined, "You joined " + room, "", room));
  }

  // The frames the client sent since the last call, decoded back.
  std::vector<ClientFrame> sent() {
    std::vector<ClientFrame> frames;
    for (const auto& text : vm_.take_outgoing()) {
      auto frame = decode_client_frame(text, Limits{});
      EXPECT_TRUE(frame.ok()) << text;
      if (frame) frames.push_back(frame.value());
    }
    return frames;
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
  HistoryFrame frame{room, {}, more, ""};
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
