// The name screen: three ways in ("Join as guest", "Sign in", "Create account"), the name, and for
// an account a masked password; the refusal or notice under them. Which form shows is the
// view-model's (ViewState::login_mode: a guest refused a registered name is switched to "Sign in"
// there); the fields' contents are this view's. The password lives only in its field until it is
// sent, and is wiped then, and whenever the chat is shown.
#include <algorithm>

#include "imgui.h"
#include "ui/chat_view.hpp"
#include "ui/view_colours.hpp"

namespace chat::client::ui {
namespace {

// ImGui tells widgets apart by their label: the "##" part keeps "Sign in" and "Create account",
// both a form's name and its button's, two widgets (one id for both would make either dead).
struct ModeButton {
  LoginMode mode;
  const char* label;   // ASCII: seeded glyphs
  const char* widget;  // its recorded rectangle, and the mirror's press
};

constexpr ModeButton kModes[] = {
    {LoginMode::guest, "Join as guest##mode", "login.mode.guest"},
    {LoginMode::sign_in, "Sign in##mode", "login.mode.sign_in"},
    {LoginMode::create_account, "Create account##mode", "login.mode.create_account"},
};

const char* title(LoginMode mode) {
  switch (mode) {
    case LoginMode::guest: return "Welcome! Choose a nickname:";
    case LoginMode::sign_in: return "Sign in to your account:";
    case LoginMode::create_account: return "Create an account: the name will be yours alone";
  }
  return "";
}

const char* submit_label(LoginMode mode) {
  switch (mode) {
    case LoginMode::guest: return "Log in";
    case LoginMode::sign_in: return "Sign in";
    case LoginMode::create_account: return "Create account";
  }
  return "Log in";
}

float width_of(const char* label) { return ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2; }

}  // namespace

void ChatView::draw_login(const ViewState& state, Intents& intents) {
  const float em = ImGui::GetFontSize();
  const float width = std::min(28 * em, ImGui::GetContentRegionAvail().x);
  ImGui::SetCursorPos(ImVec2((ImGui::GetWindowWidth() - width) / 2, ImGui::GetCursorPosY() + 3 * em));
  const bool account = state.login_mode != LoginMode::guest;
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float frames = ImGui::GetFrameHeightWithSpacing() * (account ? 3 : 2);
  const float sentences = line * (1 + (state.login_error.empty() ? 0 : 3) + (state.login_notice.empty() ? 0 : 2));
  ImGui::BeginChild("login", ImVec2(width, frames + sentences + ImGui::GetStyle().WindowPadding.y * 2), true);
  draw_login_modes(state, intents);
  ImGui::TextUnformatted(title(state.login_mode));
  draw_login_fields(state, intents);
  error_line(state.login_error);
  if (!state.login_notice.empty()) wrapped(state.login_notice, kNoticeColour);
  ImGui::EndChild();
}

// The three ways in, the chosen one drawn as pressed.
void ChatView::draw_login_modes(const ViewState& state, Intents& intents) {
  for (const ModeButton& button : kModes) {
    if (&button != kModes) ImGui::SameLine();
    const bool chosen = state.login_mode == button.mode;
    if (chosen) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool clicked = ImGui::Button(button.label);
    if (chosen) ImGui::PopStyleColor();
    record(button.widget);
    if ((clicked || take_press(button.widget)) && !chosen) intents.choose_login_mode(button.mode);
  }
}

// Guest: the name and "Log in" on one line. Account: the name, then the masked password and the
// button. Tab goes from one field to the other (ImGui), Enter in either sends.
void ChatView::draw_login_fields(const ViewState& state, Intents& intents) {
  const LoginMode mode = state.login_mode;
  const bool account = mode != LoginMode::guest;
  if (mode != drawn_mode_) {
    // A guest refused a registered name, an ended session: the name is there, the password is
    // what is missing.
    focus_next_empty_field(account);
    drawn_mode_ = mode;
  }
  // After a failed automatic re-login or an ended session, offer the old name again.
  if (name_field_.empty() && !state.my_name.empty()) name_field_ = state.my_name;
  const char* label = submit_label(mode);
  const float beside_button = ImGui::GetContentRegionAvail().x - width_of(label) - ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(account ? -1.0f : beside_button);
  if (focus_name_) ImGui::SetKeyboardFocusHere();
  focus_name_ = false;
  bool submit = text_field("##name", name_field_, "login.name");
  if (account) {
    ImGui::SetNextItemWidth(beside_button);
    if (focus_password_) ImGui::SetKeyboardFocusHere();
    focus_password_ = false;
    submit |= text_field("##password", password_field_, "login.password", ImGuiInputTextFlags_Password);
  }
  ImGui::SameLine();
  submit |= ImGui::Button(label);
  submit |= take_press("login.button");
  record("login.button");
  if (!submit) return;
  bool sent = false;
  if (mode == LoginMode::guest) sent = intents.login(name_field_);
  if (mode == LoginMode::sign_in) sent = intents.sign_in(name_field_, password_field_);
  if (mode == LoginMode::create_account) sent = intents.create_account(name_field_, password_field_);
  if (sent) wipe_password();
  focus_next_empty_field(account);  // a refusal is corrected in place
}

// The keyboard goes to the password when the name is filled in, else to the name.
void ChatView::focus_next_empty_field(bool account) {
  if (account && !name_field_.empty()) {
    focus_password_ = true;
  } else {
    focus_name_ = true;
  }
}

void ChatView::wipe_password() {
  std::fill(password_field_.begin(), password_field_.end(), '\0');
  password_field_.clear();
}

void ChatView::forget_login_form(const ViewState& state) {
  wipe_password();
  name_field_ = state.my_name;  // the name screen, if it comes back, offers the name last used
  drawn_mode_.reset();          // ... with the keyboard in its first empty field
}

}  // namespace chat::client::ui
