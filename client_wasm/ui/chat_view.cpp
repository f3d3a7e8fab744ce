// Screen layout: a status bar; then either the name screen (chat_view_login.cpp), or the side
// panel (chat_view_side.cpp: rooms, the room's people, the new-room form) beside the chat log and
// the input line (right). The log is drawn by chat_view_log.cpp.
#include "ui/chat_view.hpp"

#include <algorithm>
#include <chrono>
#include <cfloat>
#include <cstdint>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/browser_platform.hpp"
#include "ui/view_colours.hpp"

namespace chat::client::ui {
namespace {

constexpr int kMaxInputLines = 6;  // taller messages scroll inside the field

// The longest start of `shown` (one code point per cluster, so never a cluster cut in two) that
// fits in `width` with an ellipsis after it; `shown` itself when it fits.
std::string fit_with_ellipsis(const std::string& shown, float width) {
  if (ImGui::CalcTextSize(shown.c_str()).x <= width) return shown;
  const float ellipsis = ImGui::CalcTextSize("\u2026").x;
  std::size_t end = shown.size();
  while (end > 0) {
    do { --end; } while (end > 0 && (static_cast<unsigned char>(shown[end]) & 0xC0) == 0x80);
    if (ImGui::CalcTextSize(shown.data(), shown.data() + end).x + ellipsis <= width) break;
  }
  return shown.substr(0, end) + "\u2026";
}

ImVec4 connection_colour(const ViewState& state) {
  if (state.connection == Connection::offline) return kErrorColour;
  if (state.connection == Connection::online && state.logged_in) return ImVec4(0.4f, 0.85f, 0.45f, 1);
  return ImVec4(0.95f, 0.8f, 0.3f, 1);
}

// A conversation's draft is kept apart from every room's: room names refuse control characters.
std::string draft_key(const ViewState& state) {
  return state.current_dm.empty() ? state.current_room : "\x01" + state.current_dm;
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
}

}  // namespace

std::string ChatView::fit(const std::string& shown, float width) { return fit_with_ellipsis(shown, width); }

void ChatView::ImGuiText(const std::string& shown_text) {
  ImGui::TextUnformatted(shown_text.data(), shown_text.data() + shown_text.size());
}

void ChatView::wrapped(const std::string& text, const ImVec4& colour) {
  const std::string drawn = shown(text);
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::PushTextWrapPos(0.0f);
  // Unformatted: TextWrapped's printf path would cut lines longer than ImGui's 3 KiB buffer.
  ImGuiText(drawn);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void ChatView::error_line(const std::string& text) {
  if (!text.empty()) wrapped(text, kErrorColour);
}

void ChatView::draw(const ViewState& state, const std::vector<LogLine>& log, double now,
                    Intents& intents, float css_scale, GlyphAtlas& atlas) {
  atlas_ = &atlas;
  drawn_state_ = &state;
  now_ = now;
  tooltip_.clear();
  rects_.clear();
  active_field_.clear();
  css_scale_ = css_scale > 0 ? css_scale : 1;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::Begin("chat", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  draw_status_bar(state, now, intents);
  ImGui::Separator();
  if (shows_login(state)) {
    draw_login(state, intents);
  } else {
    forget_login_form(state);
    ImGui::BeginChild("rooms", ImVec2(14 * ImGui::GetFontSize(), 0), true);
    draw_side_panel(state, intents);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginGroup();
    if (state.account_open) {
      draw_account(state, intents);
    } else {
      draw_log(state, log, intents);
      copy_selection(log);
      draw_input(state, intents);
    }
    ImGui::EndGroup();
  }
  if (!state.account_open || shows_login(state)) wipe_account_passwords();
  account_drawn_ = state.account_open && !shows_login(state);
  ImGui::End();
  pressed_.clear();  // a press meant for a widget not drawn (the form of another screen) is dropped
}

void ChatView::draw_status_bar(const ViewState& state, double now, Intents& intents) {
  const float size = ImGui::GetFontSize();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(at.x + size * 0.4f, at.y + size * 0.55f),
                                              size * 0.3f,
                                              ImGui::GetColorU32(connection_colour(state)));
  ImGui::Dummy(ImVec2(size * 0.8f, size));
  ImGui::SameLine();
  text(status_text(state, now));
  record("status");
  if (!shows_login(state)) {
    const std::string room = shown(!state.current_dm.empty() ? "Direct messages with " + state.current_dm
                                   : is_private_room(state, state.current_room) ? "Room: " + state.current_room + " (private)"
                                                                                : "Room: " + state.current_room);
    const char* notify = label(notices_);  // ASCII: seeded glyphs
    const float room_x = ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(room.c_str()).x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const char* sign_out = "Sign out";
    const char* account = state.account_open ? "Back to chat##account" : "Account##account";
    const float account_width = button_width(state.account_open ? "Back to chat" : "Account");
    if (state.signed_in) {
      ImGui::SameLine(room_x - button_width(notify) - button_width(sign_out) - account_width - 4 * spacing);
      if (ImGui::SmallButton(account) || take_press("account")) intents.show_account(!state.account_open);
      record("account");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Your password and the devices signed in to your account");
      ImGui::SameLine(room_x - button_width(notify) - button_width(sign_out) - 3 * spacing);
      if (ImGui::SmallButton(sign_out) || take_press("signout")) intents.sign_out();
      record("signout");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ends this device's session of the account");
    }
    ImGui::SameLine(room_x - button_width(notify) - 2 * spacing);
    if (ImGui::SmallButton(notify) || take_press("notify")) notify_toggled_ = true;
    record("notify");
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(notices_ == NoticeSwitch::on ? "Desktop notifications are on: click to stop them"
                        : notices_ == NoticeSwitch::blocked ? "The browser blocks notifications for this page (see its site settings)"
                        : "A desktop notification when mentioned, or for a line while this tab is hidden");
    }
    ImGui::SameLine(room_x);
    ImGuiText(room);
  }
}

float ChatView::input_height() const {
  const int lines = 1 + static_cast<int>(std::count(input_field_.begin(), input_field_.end(), '\n'));
  return static_cast<float>(std::min(lines, kMaxInputLines)) * ImGui::GetTextLineHeight() +
         ImGui::GetStyle().FramePadding.y * 2;
}

// Enter sends, Shift+Enter starts a new line (ImGui's multi-line field does that on Ctrl+Enter
// when asked: Shift is shown to it as Ctrl for that one key), a paste keeps its line breaks.
void ChatView::draw_input(const ViewState& state, Intents& intents) {
  draw_typing(state);
  error_line(state.input_error);
  const std::string shown_log = draft_key(state);
  if (drafts_room_ != shown_log) {
    if (!drafts_room_.empty()) drafts_.switch_room(drafts_room_, shown_log, input_field_);
    drafts_room_ = shown_log;
    focus_input_ = true;  // a new room: its draft is loaded into the field
  }
  const char* label = "Send";
  const float width = ImGui::GetContentRegionAvail().x - button_width(label) -
                      ImGui::GetStyle().ItemSpacing.x;
  if (focus_input_) ImGui::SetKeyboardFocusHere();
  focus_input_ = false;
  atlas_->want(input_field_);
  ImGuiIO& io = ImGui::GetIO();
  const bool ctrl = io.KeyCtrl;
  if (io.KeyShift && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) io.KeyCtrl = true;
  bool submit = ImGui::InputTextMultiline(
      "##input", &input_field_, ImVec2(width, input_height()),
      ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CtrlEnterForNewLine |
          ImGuiInputTextFlags_CallbackCompletion | ImGuiInputTextFlags_CallbackHistory,
      on_input_event, this);
  io.KeyCtrl = ctrl;
  record("chat.input");
  if (ImGui::IsItemActive()) active_field_ = "chat.input";
  // Others are told the person is typing (the view-model spaces these out); not for Enter.
  if (ImGui::IsItemEdited() && !submit && !input_field_.empty()) intents.typing(now_);
  drafts_.edited(shown_log, input_field_);
  ImGui::SameLine();
  submit |= ImGui::Button(label);
  submit |= take_press("chat.send");
  record("chat.send");
  if (submit) {
    if (intents.send_message(input_field_)) {  // a refused line is kept
      input_field_.clear();
      drafts_.sent(shown_log);
    }
    focus_input_ = true;  // Enter deactivates the field; keep typing in it
  }
}

// Always a line, empty when nobody types: the field below does not jump when someone starts.
void ChatView::draw_typing(const ViewState& state) {
  if (state.typing.empty()) {
    ImGui::Dummy(ImVec2(1, ImGui::GetTextLineHeight()));
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, kNoticeColour);
    text(state.typing);
    ImGui::PopStyleColor();
  }
  record("typing");
}

int ChatView::on_input_event(ImGuiInputTextCallbackData* data) {
  auto* view = static_cast<ChatView*>(data->UserData);
  const ViewState& state = *view->drawn_state_;
  std::optional<std::string> replacement;
  int cursor = -1;
  if (data->EventFlag == ImGuiInputTextFlags_CallbackCompletion) {
    const std::string_view text(data->Buf, static_cast<std::size_t>(data->BufTextLen));
    if (auto done = complete_name(text, static_cast<std::size_t>(data->CursorPos), state.members,
                                  state.my_name)) {
      replacement = done->text;
      cursor = static_cast<int>(done->cursor);
    }
  } else if (data->EventFlag == ImGuiInputTextFlags_CallbackHistory &&
             data->EventKey == ImGuiKey_UpArrow && data->BufTextLen == 0) {
    replacement = view->drafts_.recall(draft_key(state));  // Up in an empty field
  }
  if (replacement) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, replacement->data(), replacement->data() + replacement->size());
    if (cursor >= 0) data->CursorPos = cursor;
  }
  return 0;
}

bool ChatView::text_field(const char* id, std::string& text, const char* name, ImGuiInputTextFlags flags) {
  // Edited as typed: characters, not clusters. A password is drawn as '*' (ASCII: seeded).
  if ((flags & ImGuiInputTextFlags_Password) == 0) atlas_->want(text);
  const bool entered = ImGui::InputText(id, &text, ImGuiInputTextFlags_EnterReturnsTrue | flags);
  record(name);
  if (ImGui::IsItemActive()) active_field_ = name;
  return entered;
}

void ChatView::focus_field(const std::string& field) {
  if (field == "login.name") focus_name_ = true;
  if (field == "login.password") focus_password_ = true;
  if (field == "room.name") focus_room_ = true;
  if (field == "member.invite.name") focus_invite_ = true;
  if (field == "chat.input") focus_input_ = true;
  if (field == "account.password") focus_current_password_ = true;
  if (field == "account.new_password") focus_new_password_ = true;
}

bool ChatView::secret_field_active() const {
  return active_field_ == "login.password" || active_field_ == "account.password" ||
         active_field_ == "account.new_password";
}

bool ChatView::take_press(const char* widget) {
  const auto found = std::find(pressed_.begin(), pressed_.end(), widget);
  if (found == pressed_.end()) return false;
  pressed_.erase(found);
  return true;
}

void ChatView::record(std::string name) { record(std::move(name), ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

void ChatView::record(std::string name, ImVec2 min, ImVec2 max) {
  rects_.emplace_back(std::move(name), Rect{min.x / css_scale_, min.y / css_scale_,
                                            (max.x - min.x) / css_scale_,
                                            (max.y - min.y) / css_scale_});
}

}  // namespace chat::client::ui
