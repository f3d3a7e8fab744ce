// What a user can ask for. The view calls these; the view-model implements them. Each returns
// false when refused or not needed before anything is sent (a refusal's reason is in the ViewState).
#pragma once

#include <string_view>

namespace chat::client {

class Intents {
 public:
  virtual ~Intents() = default;
  virtual bool login(std::string_view name) = 0;
  virtual bool send_message(std::string_view text) = 0;
  virtual bool create_room(std::string_view room) = 0;
  virtual bool join_room(std::string_view room) = 0;
  // The user reached the top of the log: fetch the page before it, if the server has one.
  virtual bool load_older() = 0;
};

}  // namespace chat::client
