// Private rooms and direct conversations in the side panel (docs/ACCOUNTS.md, "Step 3"): the lock
// drawn beside a private room, the "DIRECT MESSAGES" group, a person's menu with "Message", and in
// a private room its members: for the owner an Invite field and "Remove" per member, for a member
// "Leave room". What each press means is the view-model's (Intents).
#include <algorithm>
#include <cfloat>

#include "imgui.h"
#include "ui/chat_view.hpp"
#include "ui/view_colours.hpp"

namespace chat::client::ui {

// A padlock of lines and a rectangle: drawn, so it needs no font's glyph.
void ChatView::draw_lock(ImVec2 at, float size, ImU32 colour) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float body_top = at.y + size * 0.45f;
  const float left = at.x + size * 0.15f;
  const float right = at.x + size * 0.85f;
  const float centre = (left + right) / 2;
  const float radius = (right - left) * 0.32f;
  constexpr float kPi = 3.14159265f;
  draw->PathArcTo(ImVec2(centre, body_top), radius, kPi, 2 * kPi, 10);
  draw->PathStroke(colour, false, std::max(1.0f, size * 0.1f));
  draw->AddRectFilled(ImVec2(left, body_top), ImVec2(right, at.y + size * 0.95f), colour, size * 0.08f);
}

void ChatView::draw_dms(const ViewState& state, Intents& intents) {
  if (state.dms.empty()) return;
  ImGui::Spacing();
  ImGui::TextDisabled("DIRECT MESSAGES");  // ASCII: seeded glyphs
  for (const auto& person : state.dms) {
    const bool current = person == state.current_dm;
    const std::string full = shown((current ? "\u25CF @" : "\u25CB @") + person);
    const Unread unread = unread_of(state, "", person);
    const float badge = badge_width(unread);
    const std::string label = fit(full, ImGui::GetContentRegionAvail().x - badge) + "##dm:" + person;
    const std::string widget = "dm:" + person;
    const bool chosen = ImGui::Selectable(label.c_str(), current) || take_press(widget.c_str());
    record(widget);
    draw_badge(unread, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (chosen && !current) intents.open_conversation(person);
  }
}

// A person's name in the members list opens this menu; "Message" starts (or shows) the
// conversation. Only between accounts, and never for oneself.
void ChatView::draw_person_menu(const ViewState& state, const std::string& person, Intents& intents) {
  const std::string widget = "member.message:" + person;
  bool message = take_press(widget.c_str());
  if (ImGui::BeginPopup(("person:" + person).c_str())) {
    ImGuiText(shown(person));
    ImGui::Separator();
    message |= ImGui::Selectable("Message");
    record("member.message");
    ImGui::EndPopup();
  }
  if (message && can_message(state, person)) intents.open_conversation(person);  // a Selectable closes its popup
}

// The current private room's members, below the people present.
void ChatView::draw_private_room(const ViewState& state, Intents& intents) {
  if (!state.current_dm.empty() || !is_private_room(state, state.current_room)) return;
  const bool owner = owns_current_room(state);
  ImGui::Spacing();
  ImGui::TextDisabled("%s", ("MEMBERS (" + std::to_string(state.room_members.size()) + ")").c_str());
  for (const auto& member : state.room_members) {
    const bool is_owner = member == state.room_owner;
    ImGuiText(fit(shown(is_owner ? member + " (owner)" : member), ImGui::GetContentRegionAvail().x * 0.6f));
    record("room.member:" + member);
    if (!owner || is_owner) continue;
    ImGui::SameLine();
    const std::string widget = "member.remove:" + member;
    const bool remove = ImGui::SmallButton(("Remove##" + member).c_str()) || take_press(widget.c_str());
    record(widget);
    if (remove) intents.remove_member(member);
  }
  if (owner) {
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (focus_invite_) ImGui::SetKeyboardFocusHere();
    focus_invite_ = false;
    const bool entered = text_field("##invite", invite_field_, "member.invite.name");
    focus_invite_ = entered;
    const bool clicked = ImGui::Button("Invite", ImVec2(-FLT_MIN, 0));
    record("member.invite");
    if ((entered || clicked || take_press("member.invite")) && intents.invite(invite_field_)) invite_field_.clear();
  } else {
    const bool leave = ImGui::Button("Leave room", ImVec2(-FLT_MIN, 0)) || take_press("room.leave");
    record("room.leave");
    if (leave) intents.leave_room();
  }
  error_line(state.member_error);
}

}  // namespace chat::client::ui
