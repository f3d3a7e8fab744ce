// What a user can ask for. The view calls these; the view-model implements them. Each returns
// false when refused or not needed before anything is sent (a refusal's reason is in the ViewState).
#pragma once

#include <string_view>

#include "app/view_state.hpp"

namespace chat::client {

class Intents {
 public:
  virtual ~Intents() = default;
  virtual bool login(std::string_view name) = 0;  // as a guest
  // Accounts: sign in to the account `name`, or create it; the password is sent, never kept.
  virtual bool sign_in(std::string_view name, std::string_view password) = 0;
  virtual bool create_account(std::string_view name, std::string_view password) = 0;
  virtual bool sign_out() = 0;  // ends this device's session of the account
  virtual void choose_login_mode(LoginMode mode) = 0;  // which form the name screen shows
  virtual bool send_message(std::string_view text) = 0;
  virtual bool create_room(std::string_view room) = 0;
  // Also shows the current room again when a conversation is shown.
  virtual bool join_room(std::string_view room) = 0;
  // Private rooms (signed-in accounts): create one; in the current private room, invite a person
  // or remove one (the owner), or leave it (a member).
  virtual bool create_private_room(std::string_view room) = 0;
  virtual bool invite(std::string_view user) = 0;
  virtual bool remove_member(std::string_view user) = 0;
  virtual bool leave_room() = 0;
  // Shows the direct conversation with `user` (started by its first line).
  virtual bool open_conversation(std::string_view user) = 0;
  // The user reached the top of the log: fetch the page before it, if the server has one.
  virtual bool load_older() = 0;
  // The person typed in the message field (now: seconds, the view-model's clock): others are
  // told, at most once per few seconds.
  virtual bool typing(double now) = 0;
  // The account screen (signed-in accounts): shown in place of the log, or closed.
  virtual bool show_account(bool open) = 0;
  // The password sent in the frame and kept nowhere; every other session of the account ends.
  virtual bool change_password(std::string_view current, std::string_view new_password) = 0;
  virtual bool end_session(std::string_view id) = 0;  // one of the account's sessions (SessionRow::id)
};

}  // namespace chat::client
