// Wires the view-model to the WebSocket edge and the ImGui view for one frame at a time.
// Owns no platform set-up (main.cpp) and makes no decisions (app/view_model.hpp).
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
  void flush();

  std::string server_url_;
  ViewModel model_;
  net::WebSocketClient socket_;
  ui::ChatView view_;
  float device_pixel_ratio_ = 1;
};

}  // namespace chat::client
