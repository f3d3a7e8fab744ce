// The client's whole behaviour, pure: server frames, connection events, time and user intents in;
// the state to draw, the frames to send and "open a socket now" out. Knows nothing of ImGui,
// Emscripten or sockets, so tests drive it with a fake clock.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/backoff.hpp"
#include "app/intents.hpp"
#include "app/view_state.hpp"
#include "shared/limits.hpp"
#include "shared/protocol.hpp"

namespace chat::client {

class ViewModel final : public Intents {
 public:
  struct Options {
    Limits limits;
    Backoff backoff;
    // After a reconnect the server may still hold our old name for a while (a dead connection is
    // detected within 10 s, docs/PROTOCOL.md); keep retrying the login that long.
    double relogin_window_seconds = 15.0;
    double relogin_retry_seconds = 1.0;
    std::size_t max_log_lines_per_room = 2000;
  };

  ViewModel();
  explicit ViewModel(Options options);

  // ---- Connection edge. The first connection is requested at construction.
  bool take_connect_request();
  void on_open(double now);
  void on_close(double now);
  void on_text(std::string_view text, double now);  // a text frame from the server
  void apply(const ServerFrame& frame, double now);
  void tick(double now);

  // ---- Intents (see Intents).
  bool login(std::string_view name) override;
  bool send_message(std::string_view text) override;
  bool create_room(std::string_view room) override;
  bool join_room(std::string_view room) override;

  // ---- Output.
  std::vector<std::string> take_outgoing();  // encoded frames, in order
  const ViewState& state() const { return state_; }
  const std::vector<LogLine>& visible_log() const;  // the current room's lines

 private:
  void apply_message(const MessageFrame& frame, double now);
  void apply_refusal(const MessageFrame& frame, double now);
  void on_logged_in(const MessageFrame& frame);
  void queue(const ClientFrame& frame);
  void add_line(const std::string& room, LogLine line);
  void add_notice(std::string text, LogLine::Kind kind = LogLine::Kind::notice);
  bool can_send(std::string& error_field);
  bool refuse(std::string& error_field, std::string reason);  // always false

  Options options_;
  ViewState state_;
  std::map<std::string, std::vector<LogLine>> logs_;  // per room: lines seen while in it
  std::vector<std::string> outgoing_;
  bool connect_requested_ = true;
  std::string pending_login_;      // the name asked for, until the server answers
  double opened_at_ = 0;
  std::string room_before_drop_;   // rejoined after logging back in
  double relogin_deadline_ = 0;    // give up retrying a taken name after this
  double relogin_at_ = -1;         // next scheduled login retry, or < 0
};

}  // namespace chat::client
