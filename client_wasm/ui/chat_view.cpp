// Screen layout: a status bar; then either the nickname form, or the rooms, the room's people and
// the new-room form (left) beside the chat log and the input line (right).
#include "ui/chat_view.hpp"

#include <algorithm>
#include <chrono>
#include <cfloat>
#include <cstdint>

#include "app/author_palette.hpp"
#include "app/day_text.hpp"
#include "app/links.hpp"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/browser_platform.hpp"

namespace chat::client::ui {
namespace {

constexpr int kMaxInputLines = 6;  // taller messages scroll inside the field
const ImVec4 kErrorColour(1.0f, 0.47f, 0.42f, 1.0f);
const ImVec4 kNoticeColour(0.62f, 0.64f, 0.70f, 1.0f);

ImVec4 author_colour(const std::string& name) {
  const Hsv hsv = chat::client::author_colour(name);
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hsv.hue, hsv.saturation, hsv.value, r, g, b);
  return ImVec4(r, g, b, 1.0f);
}

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

std::string line_as_text(const LogLine& line) {
  return line.kind == LogLine::Kind::chat ? line.user + ": " + line.text : line.text;
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
}

}  // namespace

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
  draw_status_bar(state, now);
  ImGui::Separator();
  if (shows_login(state)) {
    draw_login(state, intents);
  } else {
    ImGui::BeginChild("rooms", ImVec2(14 * ImGui::GetFontSize(), 0), true);
    draw_side_panel(state, intents);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_log(state, log, intents);
    copy_selected_line(log);
    draw_input(state, intents);
    ImGui::EndGroup();
  }
  ImGui::End();
}

void ChatView::draw_status_bar(const ViewState& state, double now) {
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
    const std::string room = shown("Room: " + state.current_room);
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(room.c_str()).x);
    ImGuiText(room);
  }
}

void ChatView::draw_login(const ViewState& state, Intents& intents) {
  const float em = ImGui::GetFontSize();
  const float width = std::min(26 * em, ImGui::GetContentRegionAvail().x);
  ImGui::SetCursorPos(ImVec2((ImGui::GetWindowWidth() - width) / 2, ImGui::GetCursorPosY() + 3 * em));
  const float height = ImGui::GetTextLineHeightWithSpacing() * (state.login_error.empty() ? 1 : 3) +
                       ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::BeginChild("login", ImVec2(width, height), true);
  ImGui::TextUnformatted("Welcome! Choose a nickname:");
  // After a failed automatic re-login, offer the old name again.
  if (name_field_.empty() && !state.my_name.empty()) name_field_ = state.my_name;
  const char* label = "Log in";
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - button_width(label) -
                          ImGui::GetStyle().ItemSpacing.x);
  if (focus_name_) ImGui::SetKeyboardFocusHere();
  focus_name_ = false;
  bool submit = text_field("##name", name_field_, "login.name");
  ImGui::SameLine();
  submit |= ImGui::Button(label);
  record("login.button");
  if (submit) {
    intents.login(name_field_);
    focus_name_ = true;  // a refused name is corrected in place
  }
  error_line(state.login_error);
  ImGui::EndChild();
}

void ChatView::draw_side_panel(const ViewState& state, Intents& intents) {
  const float label = ImGui::GetTextLineHeightWithSpacing();
  const float form_height = 3 * ImGui::GetFrameHeightWithSpacing() +
                            (state.room_error.empty() ? 0 : 3 * label);
  // The rooms and the people share what the form leaves, half each.
  const float list_height = (ImGui::GetContentRegionAvail().y - form_height) / 2 - label;
  ImGui::TextDisabled("ROOMS");
  ImGui::BeginChild("room_list", ImVec2(0, std::max(list_height, label)));
  draw_rooms(state, intents);
  ImGui::EndChild();
  const std::string people = "IN THIS ROOM (" + std::to_string(state.members.size()) + ")";
  ImGui::TextDisabled("%s", people.c_str());  // ASCII: seeded glyphs
  ImGui::BeginChild("member_list", ImVec2(0, -form_height));
  draw_members(state);
  ImGui::EndChild();
  draw_new_room(state, intents);
}

void ChatView::draw_rooms(const ViewState& state, Intents& intents) {
  for (const auto& room : state.rooms) {
    const bool current = room == state.current_room;
    const std::string full = shown((current ? "\u25CF " : "\u25CB ") + room);
    const std::string label = fit_with_ellipsis(full, ImGui::GetContentRegionAvail().x) + "##" + room;
    if (ImGui::Selectable(label.c_str(), current) && !current) intents.join_room(room);
    record("room:" + room);
  }
}

void ChatView::draw_members(const ViewState& state) {
  for (const auto& name : state.members) {
    const std::string text = name == state.my_name ? name + " (you)" : name;
    // While the connection is down the list may be wrong: greyed until the server tells again.
    const bool online = state.connection == Connection::online;
    members_greyed_ = !online;
    ImGui::PushStyleColor(ImGuiCol_Text, online ? author_colour(name) : kNoticeColour);
    const std::string full = shown(text);
    const std::string fitted = fit_with_ellipsis(full, ImGui::GetContentRegionAvail().x);
    ImGuiText(fitted);
    if (fitted != full && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", full.c_str());
    ImGui::PopStyleColor();
    record("member:" + name);
  }
}

void ChatView::draw_new_room(const ViewState& state, Intents& intents) {
  ImGui::Separator();
  ImGui::TextDisabled("NEW ROOM");
  ImGui::SetNextItemWidth(-FLT_MIN);
  bool create = text_field("##new_room", room_field_, "room.name");
  create |= ImGui::Button("Create room", ImVec2(-FLT_MIN, 0));
  record("room.create");
  if (create && intents.create_room(room_field_)) room_field_.clear();
  error_line(state.room_error);
}

void ChatView::draw_log(const ViewState& state, const std::vector<LogLine>& log,
                        Intents& intents) {
  const float reserve = input_height() + ImGui::GetStyle().ItemSpacing.y +
                        (state.input_error.empty() ? 0 : ImGui::GetTextLineHeightWithSpacing());
  if (selected_room_ != state.current_room) {
    selected_line_ = -1;
    last_log_size_ = 0;
    last_first_ = FirstLine{};
  }
  ImGui::PushID(state.current_room.c_str());  // each room keeps its own scroll position
  ImGui::BeginChild("log", ImVec2(0, -reserve), true);
  // Last frame's scroll values: stick to the newest line unless the user scrolled up.
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f;
  if (state.has_older || state.loading_older) {
    ImGui::TextDisabled(state.loading_older ? "Loading older lines..." : "Scroll up for older lines");
  } else if (!log.empty()) {
    ImGui::TextDisabled("Start of the conversation");
  }
  draw_log_lines(log, at_bottom);
  scroll_by_keys();
  ask_for_older_lines(state, log, at_bottom, intents);
  last_log_size_ = log.size();
  log_scroll_y_ = ImGui::GetScrollY();
  log_scroll_max_ = ImGui::GetScrollMaxY();
  ImGui::EndChild();
  record("log");
  ImGui::PopID();
  selected_room_ = state.current_room;
}

// Draws the lines and keeps the reader's place when older lines were put above last frame's
// oldest chat line.
void ChatView::draw_log_lines(const std::vector<LogLine>& log, bool at_bottom) {
  float old_first_y = -1;
  int old_first_index = -1;
  FirstLine first;
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
  std::int64_t day = -1;
  days_.clear();
  for (int i = 0; i < static_cast<int>(log.size()); ++i) {
    if (log[i].kind == LogLine::Kind::chat && log[i].ts > 0 && local_day(log[i].ts) != day) {
      day = local_day(log[i].ts);
      draw_day_separator(day_text(log[i].ts, now_ms));
    }
    const float y = ImGui::GetCursorPosY();
    if (last_first_.id != 0 && log[i].id == last_first_.id) {
      old_first_y = y;
      old_first_index = i;
    }
    if (first.id == 0 && log[i].id > 0) first = FirstLine{log[i].id, i, y};
    draw_log_line(log[i], i);
  }
  if (old_first_index > last_first_.index && selected_line_ >= 0) {
    selected_line_ += old_first_index - last_first_.index;  // the selection stays on its line
  }
  if (at_bottom) {
    ImGui::SetScrollHereY(1.0f);
  } else if (old_first_y > last_first_.y) {
    ImGui::SetScrollY(ImGui::GetScrollY() + old_first_y - last_first_.y);
  }
  last_first_ = first;
}

// PageUp/PageDown scroll the log by a page even while typing (a message is rarely a page long);
// Home/End go to its ends when the message field is empty, Ctrl+Home/Ctrl+End always. After
// draw_log_lines, so that they win over its "stay at the bottom".
void ChatView::scroll_by_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  const float page = ImGui::GetWindowHeight() * 0.9f;
  const bool ends = io.KeyCtrl || input_field_.empty();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp))) {
    ImGui::SetScrollY(std::max(0.0f, ImGui::GetScrollY() - page));
  } else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown))) {
    ImGui::SetScrollY(std::min(ImGui::GetScrollMaxY(), ImGui::GetScrollY() + page));
  } else if (ends && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) {
    ImGui::SetScrollY(0);
  } else if (ends && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End))) {
    ImGui::SetScrollY(ImGui::GetScrollMaxY());
  }
}

// "Today", "Yesterday" or the date, centred between two rules, before a day's first line.
void ChatView::draw_day_separator(const std::string& day) {
  days_.push_back(day);
  const std::string text = shown(day);
  const float width = ImGui::GetContentRegionAvail().x;
  const float text_width = ImGui::CalcTextSize(text.c_str()).x;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float middle = at.y + ImGui::GetTextLineHeight() / 2;
  const float left = at.x + (width - text_width) / 2;
  const ImU32 rule = ImGui::GetColorU32(ImGuiCol_Separator);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, middle), ImVec2(left - 8, middle), rule);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(left + text_width + 8, middle), ImVec2(at.x + width, middle), rule);
  ImGui::SetCursorScreenPos(ImVec2(left, at.y));
  ImGui::TextDisabled("%s", text.c_str());
}

// Only when last frame drew the same lines: in the frame older lines arrive, the scroll position
// is not yet moved down by their height and would still read as "at the top".
void ChatView::ask_for_older_lines(const ViewState& state, const std::vector<LogLine>& log,
                                   bool at_bottom, Intents& intents) {
  if (!state.has_older || state.loading_older || log.size() != last_log_size_) return;
  const bool at_top = !at_bottom && ImGui::GetScrollY() <= 0.5f;
  const bool nothing_to_scroll = ImGui::GetScrollMaxY() <= 0.0f;  // the lines do not fill the log
  if (at_top || nothing_to_scroll) intents.load_older();
}

void ChatView::draw_log_line(const LogLine& line, int index) {
  ImGui::PushID(index);
  ImGui::BeginGroup();
  switch (line.kind) {
    case LogLine::Kind::chat: {
      const std::string time = clock_text(line.ts);
      if (!time.empty()) {
        ImGui::TextDisabled("%s", time.c_str());
        record("log.time:" + std::to_string(index));
        if (ImGui::IsItemHovered()) {  // the full date on hover
          tooltip_ = full_time_text(line.ts);
          ImGui::SetTooltip("%s", shown(tooltip_).c_str());
        }
        ImGui::SameLine();
      }
      const ImVec4 colour = author_colour(line.user);
      ImGui::PushStyleColor(ImGuiCol_Text, colour);
      text(line.user + ":");
      ImGui::PopStyleColor();
      ImGui::SameLine();
      wrapped(line.text, ImGui::GetStyleColorVec4(ImGuiCol_Text));
      break;
    }
    case LogLine::Kind::notice: wrapped(line.text, kNoticeColour); break;
    case LogLine::Kind::error: wrapped(line.text, kErrorColour); break;
  }
  ImGui::EndGroup();
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max(ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x,
                   ImGui::GetItemRectMax().y);
  const bool hovered = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(min, max);
  if (hovered && (ImGui::IsMouseClicked(0) || ImGui::IsMouseClicked(1))) selected_line_ = index;
  if (selected_line_ == index) {
    ImGui::GetWindowDrawList()->AddRectFilled(min, max, IM_COL32(120, 160, 255, 50), 3.0f);
  }
  if (ImGui::IsItemVisible()) record("log.line:" + std::to_string(index));
  if (hovered && ImGui::IsMouseReleased(1)) ImGui::OpenPopup("line_menu");
  if (ImGui::BeginPopup("line_menu")) {
    if (ImGui::MenuItem("Copy line")) ImGui::SetClipboardText(line_as_text(line).c_str());
    record("menu.copy");
    const auto links = line.kind == LogLine::Kind::chat ? find_links(line.text) : std::vector<std::string>{};
    for (std::size_t i = 0; i < links.size(); ++i) {
      const std::string label = shown("Open " + links[i]) + "##link" + std::to_string(i);
      if (ImGui::MenuItem(label.c_str())) open_link(links[i]);
      record("menu.link:" + std::to_string(i));
    }
    ImGui::EndPopup();
  }
  ImGui::PopID();
}

// Ctrl+C copies the selected log line, unless a text field is active (it copies its selection).
void ChatView::copy_selected_line(const std::vector<LogLine>& log) {
  const ImGuiIO& io = ImGui::GetIO();
  if (selected_line_ < 0 || selected_line_ >= static_cast<int>(log.size())) return;
  if (io.WantTextInput || !io.KeyCtrl || !ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_C))) {
    return;
  }
  ImGui::SetClipboardText(line_as_text(log[selected_line_]).c_str());
}

float ChatView::input_height() const {
  const int lines = 1 + static_cast<int>(std::count(input_field_.begin(), input_field_.end(), '\n'));
  return static_cast<float>(std::min(lines, kMaxInputLines)) * ImGui::GetTextLineHeight() +
         ImGui::GetStyle().FramePadding.y * 2;
}

// Enter sends, Shift+Enter starts a new line (ImGui's multi-line field does that on Ctrl+Enter
// when asked: Shift is shown to it as Ctrl for that one key), a paste keeps its line breaks.
void ChatView::draw_input(const ViewState& state, Intents& intents) {
  error_line(state.input_error);
  if (drafts_room_ != state.current_room) {
    if (!drafts_room_.empty()) drafts_.switch_room(drafts_room_, state.current_room, input_field_);
    drafts_room_ = state.current_room;
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
  drafts_.edited(state.current_room, input_field_);
  ImGui::SameLine();
  submit |= ImGui::Button(label);
  record("chat.send");
  if (submit) {
    if (intents.send_message(input_field_)) {  // a refused line is kept
      input_field_.clear();
      drafts_.sent(state.current_room);
    }
    focus_input_ = true;  // Enter deactivates the field; keep typing in it
  }
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
    replacement = view->drafts_.recall(state.current_room);  // Up in an empty field
  }
  if (replacement) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, replacement->data(), replacement->data() + replacement->size());
    if (cursor >= 0) data->CursorPos = cursor;
  }
  return 0;
}

bool ChatView::text_field(const char* id, std::string& text, const char* name) {
  atlas_->want(text);  // edited as typed: characters, not clusters
  const bool entered = ImGui::InputText(id, &text, ImGuiInputTextFlags_EnterReturnsTrue);
  record(name);
  if (ImGui::IsItemActive()) active_field_ = name;
  return entered;
}

void ChatView::record(std::string name) {
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  rects_.emplace_back(std::move(name), Rect{min.x / css_scale_, min.y / css_scale_,
                                            (max.x - min.x) / css_scale_,
                                            (max.y - min.y) / css_scale_});
}

}  // namespace chat::client::ui
