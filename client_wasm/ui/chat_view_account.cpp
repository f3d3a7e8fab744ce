// The account screen, drawn in place of the log and the message field (the "Account" button of
// the status bar opens and closes it): changing the password (the current one and the new one,
// masked; the refusal or "Password changed." under them) and the devices signed in to the account,
// "this device" marked, each other one with "End". What each press means is the view-model's.
#include <algorithm>
#include <cfloat>

#include "app/day_text.hpp"
#include "imgui.h"
#include "ui/chat_view.hpp"
#include "ui/view_colours.hpp"

namespace chat::client::ui {

void ChatView::draw_account(const ViewState& state, Intents& intents) {
  if (!account_drawn_) focus_current_password_ = true;  // just opened: the keyboard is in the form
  ImGui::BeginChild("account", ImVec2(0, 0), true);
  draw_password_form(state, intents);
  ImGui::Spacing();
  ImGui::Separator();
  draw_sessions(state, intents);
  ImGui::Spacing();
  const bool close = ImGui::Button("Back to chat##account.close") || take_press("account.close");
  record("account.close");
  if (close) intents.show_account(false);
  ImGui::EndChild();
}

// Tab goes from the current password to the new one; Enter in the new one (or the button) sends.
void ChatView::draw_password_form(const ViewState& state, Intents& intents) {
  ImGui::TextDisabled("CHANGE PASSWORD");  // ASCII: seeded glyphs
  const float width = std::min(24 * ImGui::GetFontSize(), ImGui::GetContentRegionAvail().x);
  ImGui::TextUnformatted("Current password");
  ImGui::SetNextItemWidth(width);
  if (focus_current_password_) ImGui::SetKeyboardFocusHere();
  focus_current_password_ = false;
  bool submit = text_field("##current_password", current_password_field_, "account.password", ImGuiInputTextFlags_Password);
  ImGui::TextUnformatted("New password (at least 8 characters)");
  ImGui::SetNextItemWidth(width);
  if (focus_new_password_) ImGui::SetKeyboardFocusHere();
  focus_new_password_ = false;
  submit |= text_field("##new_password", new_password_field_, "account.new_password", ImGuiInputTextFlags_Password);
  submit |= ImGui::Button("Change password##account.change");
  submit |= take_press("account.change");
  record("account.change");
  if (submit) {
    if (intents.change_password(current_password_field_, new_password_field_)) {
      wipe_account_passwords();
      focus_current_password_ = true;
    } else {
      focus_new_password_ = !current_password_field_.empty();  // the refusal is corrected in place
      focus_current_password_ = current_password_field_.empty();
    }
  }
  error_line(state.password_error);
  if (!state.password_notice.empty()) wrapped(state.password_notice, kNoticeColour);
}

void ChatView::draw_sessions(const ViewState& state, Intents& intents) {
  ImGui::TextDisabled("SIGNED-IN DEVICES");  // ASCII: seeded glyphs
  if (state.sessions_loading) ImGui::TextDisabled("Loading...");
  // "End" before the words, which wrap: a long line never pushes the button out of sight.
  for (const auto& session : state.sessions) {
    if (!session.current) {  // "Sign out" ends this one
      const std::string widget = "session.end:" + session.id;
      const bool end = ImGui::SmallButton(("End##" + session.id).c_str()) || take_press(widget.c_str());
      record(widget);
      if (end) intents.end_session(session.id);
      ImGui::SameLine();
    }
    const std::string name = session.current ? "This device" : "Device " + session.id;
    wrapped(name + ": signed in " + full_time_text(session.created_ms) + ", last used " +
                full_time_text(session.last_used_ms),
            ImGui::GetStyleColorVec4(ImGuiCol_Text));
    record("session:" + session.id);
  }
  error_line(state.sessions_error);
}

void ChatView::wipe_account_passwords() {
  for (std::string* field : {&current_password_field_, &new_password_field_}) {
    std::fill(field->begin(), field->end(), '\0');
    field->clear();
  }
}

}  // namespace chat::client::ui
