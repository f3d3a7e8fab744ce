// Wires the view-model to the WebSocket edge, the tab's session storage and the ImGui view, one
// frame at a time. Owns no platform set-up (main.cpp) and makes no decisions (app/view_model.hpp).
#pragma once

#include <functional>
#include <string>

#include "app/attention.hpp"
#include "app/view_model.hpp"
#include "net/web_socket_client.hpp"
#include "ui/a11y_mirror.hpp"
#include "ui/chat_view.hpp"
#include "ui/glyph_atlas.hpp"

namespace chat::client {

class Client {
 public:
  // wake: called when a socket event changed what is shown, to draw the next frames.
  Client(std::string server_url, std::function<void()> wake);

  // Every animation frame, drawn or not: runs the timers and says whether anything shown changed
  // since the last call (a socket event, the status line's countdown). now: seconds, monotonic.
  bool tick(double now);
  // Between ImGui::NewFrame() and ImGui::Render(), when the frame is drawn.
  void frame(double now, float device_pixel_ratio, ui::GlyphAtlas& atlas);
  std::string snapshot(double now) const;
  void join_room(const std::string& room);  // from the accessible mirror's room buttons
  void press(const std::string& widget);     // its other buttons (ChatView::press)
  void focus_field(const std::string& field);  // its text fields (ChatView::focus_field)
  void notifications_allowed(bool granted);  // the browser's answer to "Notify me"

 private:
  Client(std::string server_url, std::function<void()> wake, const SavedSession& saved);
  void flush();
  void changed();  // after a socket event
  void update_mirror();  // the accessible mirror and the tab's title
  void notify_arrivals();  // a desktop notice for the lines that deserve one
  void toggle_notifications();

  std::string server_url_;
  std::function<void()> wake_;
  bool has_session_ = false;  // a session is in sessionStorage
  ViewModel model_;
  net::WebSocketClient socket_;
  ui::ChatView view_;
  ui::A11yMirror mirror_;
  float device_pixel_ratio_ = 1;
  bool changed_ = true;        // by a socket event since the last tick
  std::string shown_status_;   // the status line as last drawn
  std::string shown_typing_;   // "alice is typing…" as last drawn
  NoticeSwitch notices_ = NoticeSwitch::off;  // on: the person asked and the browser allowed
  const ui::GlyphAtlas* atlas_ = nullptr;  // the last frame's, for the snapshot
};

}  // namespace chat::client
