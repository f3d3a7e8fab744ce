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
#include "app/pending_requests.hpp"
#include "app/room_log.hpp"
#include "app/saved_session.hpp"
#include "app/session_phase.hpp"
#include "app/unread.hpp"
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
    // Requests remembered for routing their refusals (PendingRequests): a refusal of one sent
    // more than this many requests ago is shown in the log, as one naming no request.
    std::size_t max_pending_requests = PendingRequests::kDefaultCapacity;
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
  // Whether the page is visible (document.visibilityState): lines are read only while it is.
  // True if that changed.
  bool set_page_visible(bool visible);

  // ---- Intents (see Intents).
  bool login(std::string_view name) override;
  bool sign_in(std::string_view name, std::string_view password) override;
  bool create_account(std::string_view name, std::string_view password) override;
  bool sign_out() override;
  void choose_login_mode(LoginMode mode) override;
  bool send_message(std::string_view text) override;
  bool create_room(std::string_view room) override;
  bool join_room(std::string_view room) override;
  bool load_older() override;
  bool create_private_room(std::string_view room) override;
  bool invite(std::string_view user) override;
  bool remove_member(std::string_view user) override;
  bool leave_room() override;
  bool open_conversation(std::string_view user) override;
  bool typing(double now) override;
  bool show_account(bool open) override;
  bool change_password(std::string_view current, std::string_view new_password) override;
  bool end_session(std::string_view id) override;

  // ---- Output.
  std::vector<std::string> take_outgoing();  // encoded frames, in order
  // The session to store for a reload, when it changed since the last call (token empty: forget).
  std::optional<SavedSession> take_session_to_save();
  const ViewState& state() const { return state_; }
  Phase phase() const { return phase_; }
  const std::vector<LogLine>& visible_log() const;  // the current room's or conversation's lines
  // Chat lines that arrived live (not history) since the last call, each with its room, oldest
  // first; at most kMaxArrivals (a burst keeps its newest).
  struct Arrival {
    std::string room;  // empty for a direct conversation's line
    LogLine line;
    std::string dm;    // a direct conversation's line: the other person
  };
  static constexpr std::size_t kMaxArrivals = 20;
  std::vector<Arrival> take_arrivals();

 private:
  // ---- The session's life (view_model.cpp).
  bool move(Step step);  // the only place phase_ changes
  void apply_refusal(const MessageFrame& frame, const std::optional<Asked>& asked, double now);
  void login_refused(const MessageFrame& frame, double now);
  void resume_refused(const MessageFrame& frame, double now);
  void on_logged_in(const MessageFrame& frame, const std::optional<Asked>& asked);
  void on_resumed(const MessageFrame& frame);
  void accept_identity(const std::string& name, const std::string& token);
  void clear_stale_errors();
  void log_back_in(double now);
  void resume();
  bool can_send(std::string& error_field);
  std::string not_now_reason() const;  // why no login can be sent in this phase

  // ---- Accounts (view_model_accounts.cpp).
  bool send_account_login(std::string_view name, std::string_view password, Asked::Kind kind);
  void account_login_refused(const MessageFrame& frame);
  bool is_guest_answer_to_account_login(const MessageFrame& frame, const std::optional<Asked>& asked) const;
  void no_accounts_here();
  void name_is_an_accounts();
  void session_ended(std::string sentence);
  bool refuse(std::string& error_field, std::string reason);  // always false
  bool submit(std::string& error_field, const std::optional<Error>& refused, const ClientFrame& frame, Asked asked);
  void send(const ClientFrame& frame, Asked asked);

  // ---- Rooms and their logs (view_model_rooms.cpp).
  void apply_message(const MessageFrame& frame, double now);
  void apply_chat_line(const MessageFrame& frame);
  void apply_history(const HistoryFrame& frame);
  void apply_members(const MembersFrame& frame);
  void apply_presence(const PresenceFrame& frame);
  void forget_members();  // the room's people are unknown until its next members frame
  void arrive_in(const std::string& room, bool history_follows);
  void on_joined(const std::string& room);
  // v2 tells each room created or deleted, by anyone; the list follows. True if worth a notice.
  bool on_room_created(const std::string& room, bool ours, bool is_private);
  bool on_room_deleted(const std::string& room);
  void refresh_room_state();
  RoomLog& log_of(const std::string& room);
  std::string shown_log_key() const;  // the current room, or the shown conversation's log
  void add_notice(std::string text, LogLine::Kind kind = LogLine::Kind::notice);

  // ---- Private rooms and direct conversations (view_model_private.cpp).
  bool apply_membership_event(const MessageFrame& frame, const std::optional<Asked>& asked);
  void on_member_added(const std::string& room, const std::string& user);
  void on_member_removed(const std::string& room, const std::string& user);
  void apply_rooms(const RoomsFrame& frame);
  void apply_room_members(const RoomMembersFrame& frame);
  void apply_dm_line(const MessageFrame& frame);
  void ask_for_room_members();  // when the current room is private and its members unknown
  // Signed out: the account's rooms, conversations, counts and account screen are not shown.
  void forget_private_lists();
  void note_dm(const std::string& user);
  void ask_for_conversation_page(const std::string& user);  // its newest lines
  // A conversation's log in logs_: a key no room can have (room names refuse control characters).
  static std::string dm_log_key(std::string_view user) { return "\x01" + std::string(user); }
  bool send_member_change(std::string_view user, Asked::Kind kind);

  // ---- Unread counts, read markers, typing (view_model_unread.cpp).
  void apply_unread(const UnreadFrame& frame);
  void apply_typing(const TypingFrame& frame, double now);
  // A chat line new to the log `key`: its author stops typing; unseen, it is counted.
  void note_new_line(const std::string& key, const LogLine& line);
  bool looking_at(const std::string& key) const;  // the log shown, the page visible
  void mark_shown_read();  // the log looked at: nothing unread there, its newest line read
  void refresh_typing();
  void send_owed_typing(double now);
  void unread_request_refused(const Asked& asked);
  void forget_unread();    // signed out: the counts were the account's

  // ---- The account screen (view_model_account_screen.cpp).
  void apply_sessions(const SessionsFrame& frame);
  void on_password_changed(const MessageFrame& frame);
  void on_session_ended(const MessageFrame& frame);
  void ask_for_sessions();
  void close_account_screen();
  void account_request_refused(const MessageFrame& frame, const Asked& asked);

  Options options_;
  ViewState state_;  // its connection, logged_in and relogging_in follow phase_ (move())
  Phase phase_ = Phase::connecting;
  std::map<std::string, RoomLog> logs_;  // per room: lines seen while in it, and older pages
  std::vector<std::string> outgoing_;
  std::vector<Arrival> arrivals_;
  PendingRequests pending_;         // what each unanswered request asked, by its request_id
  bool connect_requested_ = true;
  double opened_at_ = 0;
  std::string token_;               // gives our name back after a drop (v2 resume)
  std::string resume_room_;         // resuming: the room the resume asked for
  std::int64_t resume_after_id_ = 0;
  std::string room_before_drop_;    // resumed into, or rejoined after logging back in
  std::string entering_room_;       // a room whose entry history is still to come
  double relogin_deadline_ = 0;     // logging_back_in: give up retrying a taken name after this
  double relogin_at_ = -1;          // logging_back_in: next scheduled login retry, or < 0
  SavedSession saved_;              // the session last handed out to be stored
  std::string members_asked_for_;   // the private room whose room_members were asked for last
  bool page_visible_ = false;       // until the page says so: nothing is marked read unseen
  ReadMarks read_marks_;
  TypingBoard typing_board_;
  double typing_sent_at_ = -1e9;    // our last typing frame
  std::string typing_owed_for_;     // the log typed in since, too soon to tell; "" if none
};

}  // namespace chat::client
