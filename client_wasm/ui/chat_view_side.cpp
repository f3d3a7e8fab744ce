// The side panel: the rooms (a lock beside the private ones) and the direct conversations, the
// people in the room (a name opens "Message" for an account), a private room's members, and the
// new-room form with its "Private" box. Private rooms' and conversations' parts are
// chat_view_private.cpp's.
#include <algorithm>
#include <cfloat>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/chat_view.hpp"
#include "ui/view_colours.hpp"

namespace chat::client::ui {

void ChatView::draw_side_panel(const ViewState& state, Intents& intents) {
  const float label = ImGui::GetTextLineHeightWithSpacing();
  const float form_height = 3 * ImGui::GetFrameHeightWithSpacing() +
                            (state.room_error.empty() ? 0 : 3 * label);
  // The rooms and the people share what the form leaves, half each.
  const float list_height = (ImGui::GetContentRegionAvail().y - form_height) / 2 - label;
  ImGui::TextDisabled("ROOMS");
  ImGui::BeginChild("room_list", ImVec2(0, std::max(list_height, label)));
  draw_rooms(state, intents);
  draw_dms(state, intents);
  ImGui::EndChild();
  const std::string people = "IN THIS ROOM (" + std::to_string(state.members.size()) + ")";
  ImGui::TextDisabled("%s", people.c_str());  // ASCII: seeded glyphs
  ImGui::BeginChild("member_list", ImVec2(0, -form_height));
  draw_members(state, intents);
  draw_private_room(state, intents);
  ImGui::EndChild();
  draw_new_room(state, intents);
}

void ChatView::draw_rooms(const ViewState& state, Intents& intents) {
  const float lock = ImGui::GetFontSize();
  for (const auto& room : state.rooms) {
    // While a conversation is shown, choosing the room the connection is in shows it again.
    const bool current = room == state.current_room && state.current_dm.empty();
    const bool is_private = is_private_room(state, room);
    const std::string full = shown((current ? "\u25CF " : "\u25CB ") + room);
    const Unread unread = unread_of(state, room);
    const float badge = badge_width(unread);
    const float width = ImGui::GetContentRegionAvail().x - (is_private ? lock : 0) - badge;
    const std::string label = fit(full, width) + "##" + room;
    if (ImGui::Selectable(label.c_str(), current) && !current) intents.join_room(room);
    record("room:" + room);
    const ImVec2 row_max(ImGui::GetItemRectMax().x - (is_private ? lock : 0), ImGui::GetItemRectMax().y);
    draw_badge(unread, ImGui::GetItemRectMin(), row_max);
    if (is_private) {
      draw_lock(ImVec2(ImGui::GetItemRectMax().x - lock, ImGui::GetItemRectMin().y), lock,
                ImGui::GetColorU32(kNoticeColour));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Private: its members alone see it");
    }
  }
}

// "@" when a line mentions the person, then the count in a pill; ASCII only (seeded glyphs).
float ChatView::badge_width(const Unread& unread) const {
  if (unread.count <= 0) return 0;
  const float pad = ImGui::GetFontSize() * 0.35f;
  const float mark = unread.mention ? ImGui::CalcTextSize("@").x + pad : 0;
  return mark + ImGui::CalcTextSize(badge_text(unread.count).c_str()).x + 3 * pad;
}

void ChatView::draw_badge(const Unread& unread, ImVec2 row_min, ImVec2 row_max) {
  if (unread.count <= 0) return;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float pad = ImGui::GetFontSize() * 0.35f;
  const std::string count = badge_text(unread.count);
  const ImVec2 size = ImGui::CalcTextSize(count.c_str());
  const float height = row_max.y - row_min.y;
  const float right = row_max.x - pad / 2;
  const ImVec2 pill_min(right - size.x - 2 * pad, row_min.y + 1);
  const ImU32 colour = unread.mention ? IM_COL32(230, 150, 40, 255) : IM_COL32(70, 110, 200, 255);
  draw->AddRectFilled(pill_min, ImVec2(right, row_max.y - 1), colour, height / 2);
  draw->AddText(ImVec2(pill_min.x + pad, row_min.y + (height - size.y) / 2), IM_COL32(255, 255, 255, 255), count.c_str());
  if (!unread.mention) return;
  const float at_width = ImGui::CalcTextSize("@").x;
  draw->AddText(ImVec2(pill_min.x - pad / 2 - at_width, row_min.y + (height - size.y) / 2), colour, "@");
}

// A signed-in person clicks another account's name for a menu ("Message", chat_view_private.cpp).
void ChatView::draw_members(const ViewState& state, Intents& intents) {
  for (const auto& name : state.members) {
    const std::string text = name == state.my_name ? name + " (you)" : name;
    // While the connection is down the list may be wrong: greyed until the server tells again.
    const bool online = state.connection == Connection::online;
    members_greyed_ = !online;
    ImGui::PushStyleColor(ImGuiCol_Text, online ? author_colour(name) : kNoticeColour);
    const std::string full = shown(text);
    const std::string fitted = fit(full, ImGui::GetContentRegionAvail().x);
    const bool has_menu = can_message(state, name);
    if (has_menu) {
      if (ImGui::Selectable((fitted + "##person:" + name).c_str(), false)) ImGui::OpenPopup(("person:" + name).c_str());
    } else {
      ImGuiText(fitted);
    }
    if (fitted != full && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", full.c_str());
    ImGui::PopStyleColor();
    record("member:" + name);
    if (has_menu) draw_person_menu(state, name, intents);
  }
}

void ChatView::draw_new_room(const ViewState& state, Intents& intents) {
  ImGui::Separator();
  ImGui::TextDisabled("NEW ROOM");
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (focus_room_) ImGui::SetKeyboardFocusHere();
  focus_room_ = false;
  const bool entered = text_field("##new_room", room_field_, "room.name");
  focus_room_ = entered;  // Enter leaves the field: the keyboard stays in it for the next name
  // Private rooms belong to accounts: a guest is not offered the box.
  if (state.signed_in) {
    ImGui::Checkbox("Private", &private_room_);
    record("room.private");
    if (take_press("room.private")) private_room_ = !private_room_;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Invite-only: its members alone see it");
    ImGui::SameLine();
  }
  const bool is_private = state.signed_in && private_room_;
  const bool clicked = ImGui::Button("Create room", ImVec2(-FLT_MIN, 0));
  const bool create = entered || clicked || take_press("room.create");
  record("room.create");
  const bool created = create && (is_private ? intents.create_private_room(room_field_) : intents.create_room(room_field_));
  if (created) {
    room_field_.clear();
    private_room_ = false;  // each private room is chosen so: the next one is public unless ticked again
  }
  error_line(state.room_error);
}

}  // namespace chat::client::ui
