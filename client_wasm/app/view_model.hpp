// The client's whole behaviour, pure: server frames, connection events, time and user intents in;
// the state to draw, the frames to send, "open a socket now" and the session to save out. Knows
// nothing of ImGui, Emscripten or sockets, so tests drive it with a fake clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/backoff.hpp"
#include "app/intents.hpp"
#include "app/room_log.hpp"
#include "app/saved_session.hpp"
#include "app/view_state.hpp"
#include "shared/limits.hpp"
#include "shared/protocol.hpp"

namespace chat::client {

class ViewModel final : public Intents {
 public:
  struct Options {
    Limits limits;
    Backoff backoff;
    // Uniform in [0, 1), for the backoff's spread; none (the default) means no spread, which
    // tests rely on. The browser client passes a real random source.
    std::function<double()> random_unit;
    // Only when resuming is impossible (bad_token): a fresh login may find our old name still
    // held by the dead connection for a while (found dead within 10 s, docs/PROTOCOL.md).
    double relogin_window_seconds = 15.0;
    double relogin_retry_seconds = 1.0;
    std::size_t max_log_lines_per_room = 2000;  // live lines push the oldest out
    int older_page_lines = 50;
  };

  ViewModel();
  // saved: the session of this tab before a reload; resumed on the first connection.
  explicit ViewModel(Options options, SavedSession saved = {});

  // ---- Connection edge. The first connection is requested at construction.
  bool take_connect_request();
  void on_open(double now);
  // close_code: the WebSocket close code (1006 when the connection just died).
  void on_close(double now, int close_code = 1006);
  void on_text(std::string_view text, double now);  // a text frame from the server
  void apply(const ServerFrame& frame, double now);
  void tick(double now);

  // ---- Intents (see Intents).
  bool login(std::string_view name) override;
  bool send_message(std::string_view text) override;
  bool create_room(std::string_view room) override;
  bool join_room(std::string_view room) override;
  bool load_older() override;

  // ---- Output.
  std::vector<std::string> take_outgoing();  // encoded frames, in order
  // The session to store for a reload, when it changed since the last call (token empty: forget).
  std::optional<SavedSession> take_session_to_save();
  const ViewState& state() const { return state_; }
  const std::vector<LogLine>& visible_log() const;  // the current room's lines
  // Chat lines that arrived live (not history) since the last call, each with its room, oldest
  // first; at most kMaxArrivals (a burst keeps its newest).
  struct Arrival {
    std::string room;
    LogLine line;
  };
  static constexpr std::size_t kMaxArrivals = 20;
  std::vector<Arrival> take_arrivals();

 private:
  struct OlderRequest {
    std::string room;
    std::int64_t before_id = 0;
  };

  void apply_message(const MessageFrame& frame, double now);
  void apply_refusal(const MessageFrame& frame, double now);
  void apply_history(const HistoryFrame& frame);
  void apply_members(const MembersFrame& frame);
  void apply_presence(const PresenceFrame& frame);
  void on_logged_in(const MessageFrame& frame);
  void on_resumed(const MessageFrame& frame);
  void on_joined(const std::string& room);
  void clear_stale_errors();
  // v2 tells each room created or deleted, by anyone; the list follows. True if worth a notice.
  bool on_room_created(const std::string& room);
  bool on_room_deleted(const std::string& room);
  void start_login_again(double now);
  void resume();
  void forget_token();
  bool answers_older_request(const HistoryFrame& frame) const;
  void refresh_room_state();
  void queue(const ClientFrame& frame);
  RoomLog& log_of(const std::string& room);
  void add_notice(std::string text, LogLine::Kind kind = LogLine::Kind::notice);
  bool can_send(std::string& error_field);
  bool refuse(std::string& error_field, std::string reason);  // always false
  bool submit(std::string& error_field, const std::optional<Error>& refused, const ClientFrame& frame);

  Options options_;
  ViewState state_;
  std::map<std::string, RoomLog> logs_;  // per room: lines seen while in it, and older pages
  std::vector<std::string> outgoing_;
  std::vector<Arrival> arrivals_;
  bool connect_requested_ = true;
  std::string pending_login_;       // the name asked for, until the server answers
  double opened_at_ = 0;
  std::string token_;               // gives our name back after a drop (v2 resume)
  bool resuming_ = false;           // a resume was sent and not answered yet
  std::string resume_room_;         // the room the resume asked for
  std::int64_t resume_after_id_ = 0;
  std::string room_before_drop_;    // resumed into, or rejoined after logging back in
  std::string entering_room_;       // a room whose entry history is still to come
  std::string creating_room_;       // the room this client asked to create, until it is
  std::optional<OlderRequest> older_request_;  // the page being fetched (one at a time)
  double relogin_deadline_ = 0;     // give up retrying a taken name after this
  double relogin_at_ = -1;          // next scheduled login retry, or < 0
  SavedSession saved_;              // the session last handed out to be stored
};

}  // namespace chat::client
