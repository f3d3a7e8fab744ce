// Wires the view-model to the WebSocket edge, the tab's session storage and the ImGui view, one
// frame at a time. Owns no platform set-up (main.cpp) and makes no decisions (app/view_model.hpp).
#pragma once

#include <string>

#include "app/view_model.hpp"
#include "net/web_socket_client.hpp"
#include "ui/chat_view.hpp"

namespace chat::client {

class Client {
 public:
  explicit Client(std::string server_url);

  // Between ImGui::NewFrame() and ImGui::Render(). now: seconds, monotonic.
  void frame(double now, float device_pixel_ratio);
  std::string snapshot(double now) const;

 private:
  Client(std::string server_url, const SavedSession& saved);
  void flush();

  std::string server_url_;
  bool has_session_ = false;  // a session is in sessionStorage
  ViewModel model_;
  net::WebSocketClient socket_;
  ui::ChatView view_;
  float device_pixel_ratio_ = 1;
};

}  // namespace chat::client
