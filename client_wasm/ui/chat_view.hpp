// The ImGui view: draws a ViewState and reports what the user asked for through Intents. Holds
// only what ImGui needs between frames (field contents, the selected line); no chat logic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/attention.hpp"
#include "app/composer.hpp"
#include "app/intents.hpp"
#include "app/text_selection.hpp"
#include "app/unread.hpp"
#include "imgui.h"
#include "app/view_state.hpp"
#include "ui/glyph_atlas.hpp"
#include "ui/line_text.hpp"
#include "ui/widget_rects.hpp"

namespace chat::client::ui {

class ChatView {
 public:
  // Call between ImGui::NewFrame() and ImGui::Render(). css_scale converts ImGui's framebuffer
  // pixels to CSS pixels for the recorded rectangles.
  // atlas: gives the text ImGui draws (clusters composed) and learns which glyphs it needs.
  void draw(const ViewState& state, const std::vector<LogLine>& log, double now, Intents& intents,
            float css_scale, GlyphAtlas& atlas);
  // A button of the accessible mirror was pressed ("room.create", "chat.send", "notify",
  // "login.button", "login.mode.guest", "login.mode.sign_in", "login.mode.create_account",
  // "signout", "room.private", "dm:NAME", "member.message:NAME", "member.remove:NAME",
  // "member.invite", "room.leave", "account", "account.change", "account.close",
  // "session.end:ID"): acted
  // on in the next frame as if clicked.
  void press(const std::string& widget) { pressed_.push_back(widget); }
  // The mirror gave the keyboard to a text field ("room.name", "chat.input", "login.name",
  // "login.password", "member.invite.name", "account.password", "account.new_password").
  void focus_field(const std::string& field);
  // Whether desktop notifications are on (the "Notify me" button shows it).
  void set_notices(NoticeSwitch state) { notices_ = state; }
  NoticeSwitch notices() const { return notices_; }
  bool take_notify_toggle() { return std::exchange(notify_toggled_, false); }  // pressed since
  const WidgetRects& rects() const { return rects_; }
  const std::string& active_field() const { return active_field_; }  // "" if none has focus
  bool secret_field_active() const;  // the field with the keyboard is a password's
  const std::string& input_text() const { return input_field_; }      // the message field
  const std::vector<std::string>& days() const { return days_; }      // separators drawn
  const std::string& tooltip() const { return tooltip_; }             // "" if none
  const std::string& selection() const { return selection_text_; }    // the log's selected text
  bool members_greyed() const { return members_greyed_; }  // the people drawn as possibly stale
  // The log's scroll position and its maximum last frame, in CSS pixels (0, 0: nothing to scroll).
  float log_scroll_y() const { return log_scroll_y_ / css_scale_; }
  float log_scroll_max() const { return log_scroll_max_ / css_scale_; }

 private:
  void draw_status_bar(const ViewState& state, double now, Intents& intents);
  // The name screen (chat_view_login.cpp): a guest's nickname, or an account's name and password.
  void draw_login(const ViewState& state, Intents& intents);
  void draw_login_modes(const ViewState& state, Intents& intents);
  void draw_login_fields(const ViewState& state, Intents& intents);
  void forget_login_form(const ViewState& state);  // the chat is shown: no password is kept
  void focus_next_empty_field(bool account);
  void wipe_password();
  void draw_side_panel(const ViewState& state, Intents& intents);
  void draw_rooms(const ViewState& state, Intents& intents);
  void draw_members(const ViewState& state, Intents& intents);
  // Private rooms and conversations (chat_view_private.cpp).
  void draw_lock(ImVec2 at, float size, ImU32 colour);
  void draw_dms(const ViewState& state, Intents& intents);
  void draw_person_menu(const ViewState& state, const std::string& person, Intents& intents);
  void draw_private_room(const ViewState& state, Intents& intents);
  // The longest start of `shown` text that fits in `width`, with an ellipsis when cut.
  static std::string fit(const std::string& shown, float width);
  void draw_new_room(const ViewState& state, Intents& intents);
  // A room's or conversation's unread count and mention mark, at the right of its row; returns
  // the width it takes (chat_view_side.cpp).
  float badge_width(const Unread& unread) const;
  void draw_badge(const Unread& unread, ImVec2 row_min, ImVec2 row_max);
  // The account screen in place of the log (chat_view_account.cpp).
  void draw_account(const ViewState& state, Intents& intents);
  void draw_password_form(const ViewState& state, Intents& intents);
  void draw_sessions(const ViewState& state, Intents& intents);
  void wipe_account_passwords();
  void draw_log(const ViewState& state, const std::vector<LogLine>& log, Intents& intents);
  void draw_log_lines(const std::vector<LogLine>& log, bool at_bottom);
  void draw_log_line(const LogLine& line, int index);
  void draw_line_menu(const LogLine& line);
  // The mouse on a drawn line: select it, select part of it, open a link.
  void track_mouse(const LogLine& line, int index, const LineText& text, ImVec2 origin, ImVec2 min,
                   ImVec2 max);
  bool take_press(const char* widget);
  void scroll_by_keys();  // in the log's child window
  void draw_day_separator(const std::string& day);
  void ask_for_older_lines(const ViewState& state, const std::vector<LogLine>& log, bool at_bottom,
                           Intents& intents);
  void draw_input(const ViewState& state, Intents& intents);
  void draw_typing(const ViewState& state);  // "alice is typing…" under the log, or an empty line
  float input_height() const;  // the message field: grows with its lines, up to kMaxInputLines
  static int on_input_event(ImGuiInputTextCallbackData* data);  // Tab and Up in the field
  void copy_selection(const std::vector<LogLine>& log);
  void record(std::string name);  // the last item's rectangle
  void record(std::string name, ImVec2 min, ImVec2 max);
  std::string shown(const std::string& text) { return atlas_->shown(text); }
  void text(const std::string& text) { ImGuiText(shown(text)); }
  static void ImGuiText(const std::string& shown_text);
  void wrapped(const std::string& text, const ImVec4& colour);
  void error_line(const std::string& text);
  bool text_field(const char* id, std::string& text, const char* name,
                  ImGuiInputTextFlags flags = 0);  // true on Enter

  std::string name_field_;
  std::string password_field_;  // wiped once sent, and whenever the chat is shown
  std::string room_field_;
  bool private_room_ = false;  // the new room's "Private" box
  std::string invite_field_;
  std::string current_password_field_;  // the account screen's: wiped once sent, and on leaving it
  std::string new_password_field_;
  bool focus_current_password_ = false;
  bool focus_new_password_ = false;
  bool account_drawn_ = false;  // the account screen was drawn last frame
  bool focus_invite_ = false;
  std::string input_field_;
  Drafts drafts_;
  std::string drafts_room_;                 // the room input_field_ is the draft of
  const ViewState* drawn_state_ = nullptr;  // during draw(), for the field's callback
  double now_ = 0;                          // during draw(): the view-model's clock
  bool focus_name_ = true;
  bool focus_password_ = false;
  std::optional<LoginMode> drawn_mode_;  // the form drawn last frame (none: another screen)
  bool focus_input_ = true;
  bool focus_room_ = false;
  std::vector<std::string> pressed_;  // by the mirror, for the next frame
  NoticeSwitch notices_ = NoticeSwitch::off;
  bool notify_toggled_ = false;
  int selected_line_ = -1;
  TextSelection selection_;    // part of the log, dragged over with the mouse
  std::string selection_text_;
  std::string pressed_link_;   // the link under the mouse when its button went down
  bool log_hovered_ = false;   // the mouse is over the log (even while dragging)
  std::string selected_room_;  // the room selected_line_ belongs to
  // Last frame's log, to keep the lines on screen in place when older ones are put above them.
  struct FirstLine {
    std::int64_t id = 0;  // the oldest chat line's id; 0: none
    int index = -1;       // its index in the log
    float y = 0;          // where it was drawn, in the log's content coordinates
  };
  std::size_t last_log_size_ = 0;
  FirstLine last_first_;
  float log_scroll_y_ = 0;
  float log_scroll_max_ = 0;
  float css_scale_ = 1;
  WidgetRects rects_;
  GlyphAtlas* atlas_ = nullptr;  // during draw()
  std::vector<std::string> days_;
  std::string tooltip_;
  bool members_greyed_ = false;
  std::string active_field_;
};

}  // namespace chat::client::ui
