// ChatView's log: the lines with their day separators, times and authors, the text selectable
// and its links clickable (ui/line_text), the line menu, the keys that scroll it, and older lines
// asked for at the top while the reader's place is kept.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "app/day_text.hpp"
#include "app/links.hpp"
#include "imgui.h"
#include "ui/browser_platform.hpp"
#include "ui/chat_view.hpp"
#include "ui/view_colours.hpp"

namespace chat::client::ui {
namespace {

// What copying a line gives, "user: text" for a chat line; a selection counts bytes in it.
std::string line_as_text(const LogLine& line) {
  return line.kind == LogLine::Kind::chat ? line.user + ": " + line.text : line.text;
}

std::size_t copy_prefix(const LogLine& line) {  // the bytes before the text in line_as_text
  return line.kind == LogLine::Kind::chat ? line.user.size() + 2 : 0;
}

ImVec4 line_colour(const LogLine& line) {
  if (line.kind == LogLine::Kind::notice) return kNoticeColour;
  if (line.kind == LogLine::Kind::error) return kErrorColour;
  return ImGui::GetStyleColorVec4(ImGuiCol_Text);
}

}  // namespace

void ChatView::draw_log(const ViewState& state, const std::vector<LogLine>& log,
                        Intents& intents) {
  // Below the log: who is typing (always a line), a refusal, the message field.
  const float reserve = input_height() + ImGui::GetStyle().ItemSpacing.y + ImGui::GetTextLineHeightWithSpacing() +
                        (state.input_error.empty() ? 0 : ImGui::GetTextLineHeightWithSpacing());
  if (selected_room_ != state.current_room) {
    selected_line_ = -1;
    selection_.clear();
    last_log_size_ = 0;
    last_first_ = FirstLine{};
  }
  ImGui::PushID(state.current_room.c_str());  // each room keeps its own scroll position
  ImGui::BeginChild("log", ImVec2(0, -reserve), true);
  // A press on the line's drawing counts as moving the window: without this flag the log would
  // not count as hovered while the mouse drags a selection.
  log_hovered_ = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
  if (ImGui::IsMouseClicked(0)) selection_.clear();  // a press on a line starts a new one
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
  if (old_first_index > last_first_.index) {  // the selection stays on its lines
    if (selected_line_ >= 0) selected_line_ += old_first_index - last_first_.index;
    selection_.shift_lines(old_first_index - last_first_.index);
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
  if (line.kind == LogLine::Kind::chat) {
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
    ImGui::PushStyleColor(ImGuiCol_Text, author_colour(line.user));
    text(line.user + ":");
    ImGui::PopStyleColor();
    ImGui::SameLine();
  }
  // The text wraps where ImGui's TextWrapped would (the content region's right edge). Only a
  // line on screen is laid out cluster by cluster; the others need only their size, as ImGui
  // computes it (the same rule: ui/line_text.hpp).
  const float wrap = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const std::string shown_text = shown(line.text);
  const ImVec2 size = ImGui::CalcTextSize(shown_text.data(), shown_text.data() + shown_text.size(), false, wrap);
  std::optional<LineText> drawn;
  if (ImGui::IsRectVisible(origin, ImVec2(origin.x + std::max(size.x, 1.0f), origin.y + size.y))) {
    drawn.emplace(atlas_->shown_clusters(line.text), wrap);
  }
  ImGui::Dummy(drawn ? drawn->size() : size);
  if (drawn) {
    const auto links = line.kind == LogLine::Kind::chat ? find_link_spans(line.text) : std::vector<LinkSpan>{};
    const std::size_t prefix = copy_prefix(line);
    const auto [from, to] = selection_.range_in(index, prefix + line.text.size());
    const auto in_text = [prefix](std::size_t at) { return at > prefix ? at - prefix : 0; };
    drawn->draw(ImGui::GetWindowDrawList(), origin, ImGui::GetColorU32(line_colour(line)), links,
                {in_text(from), in_text(to)});
    for (std::size_t k = 0; k < links.size(); ++k) {
      const auto [min, max] = drawn->first_row_of(links[k].begin, links[k].end);
      record("log.link:" + std::to_string(index) + ":" + std::to_string(k),
             ImVec2(origin.x + min.x, origin.y + min.y), ImVec2(origin.x + max.x, origin.y + max.y));
    }
  }
  ImGui::EndGroup();
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max(ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x,
                   ImGui::GetItemRectMax().y);
  if (drawn) track_mouse(line, index, *drawn, origin, min, max);  // off screen: the mouse is not there
  if (selected_line_ == index && selection_.empty()) {
    ImGui::GetWindowDrawList()->AddRectFilled(min, max, IM_COL32(120, 160, 255, 50), 3.0f);
  }
  // A line naming the person: a warm band behind it and a bar at its left edge.
  if (names_me(line, drawn_state_->my_name)) {
    ImGui::GetWindowDrawList()->AddRectFilled(min, max, IM_COL32(255, 190, 80, 38), 3.0f);
    ImGui::GetWindowDrawList()->AddRectFilled(min, ImVec2(min.x + 3, max.y), IM_COL32(255, 190, 80, 200));
  }
  if (ImGui::IsItemVisible()) record("log.line:" + std::to_string(index));
  const bool hovered = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(min, max);
  if (hovered && ImGui::IsMouseReleased(1)) ImGui::OpenPopup("line_menu");
  draw_line_menu(line);
  ImGui::PopID();
}

// A press on a line selects it and starts selecting its text there; a drag moves the selection's
// end to the line under the mouse; a release where it was pressed, on a link, opens the link.
void ChatView::track_mouse(const LogLine& line, int index, const LineText& text, ImVec2 origin,
                           ImVec2 min, ImVec2 max) {
  const ImVec2 mouse = ImGui::GetMousePos();
  // The spacing under a line belongs to it, so that a drag never falls between two lines.
  if (!log_hovered_ || mouse.y < min.y || mouse.y >= max.y + ImGui::GetStyle().ItemSpacing.y) return;
  const std::size_t prefix = copy_prefix(line);
  const bool before_text = mouse.x < origin.x && mouse.y < origin.y + ImGui::GetFontSize();
  const std::size_t offset =
      before_text ? 0 : prefix + text.offset_at(ImVec2(mouse.x - origin.x, mouse.y - origin.y));
  const std::string link =
      line.kind == LogLine::Kind::chat && offset >= prefix ? link_at(line.text, offset - prefix) : "";
  const bool hovered = ImGui::IsMouseHoveringRect(min, max);
  if (hovered && ImGui::IsMouseClicked(0)) {
    selected_line_ = index;
    selection_.start({index, offset});
    pressed_link_ = link;
  }
  if (hovered && ImGui::IsMouseClicked(1)) selected_line_ = index;
  if (selection_.started() && ImGui::IsMouseDragging(0)) selection_.extend({index, offset});
  if (!link.empty()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  if (hovered && ImGui::IsMouseReleased(0) && selection_.empty() && !link.empty() && link == pressed_link_) {
    open_link(link);  // within the click's user activation: not blocked as a pop-up
    pressed_link_.clear();
  }
}

void ChatView::draw_line_menu(const LogLine& line) {
  if (!ImGui::BeginPopup("line_menu")) return;
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

// Ctrl+C copies the selected part of the log, or else the selected line; not while a text field
// is active (it copies its own selection). The snapshot shows the selected part.
void ChatView::copy_selection(const std::vector<LogLine>& log) {
  selection_text_.clear();
  if (!selection_.empty()) {
    std::vector<std::string> copy_texts;
    copy_texts.reserve(log.size());
    for (const auto& line : log) copy_texts.push_back(line_as_text(line));
    selection_text_ = selection_.text(copy_texts);
  }
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || !io.KeyCtrl || !ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_C))) return;
  if (!selection_text_.empty()) {
    ImGui::SetClipboardText(selection_text_.c_str());
  } else if (selected_line_ >= 0 && selected_line_ < static_cast<int>(log.size())) {
    ImGui::SetClipboardText(line_as_text(log[selected_line_]).c_str());
  }
}

}  // namespace chat::client::ui
