// The ImGui view: draws a ViewState and reports what the user asked for through Intents. Holds
// only what ImGui needs between frames (field contents, the selected line); no chat logic.
#pragma once

#include <string>
#include <vector>

#include "app/intents.hpp"
#include "app/view_state.hpp"
#include "ui/widget_rects.hpp"

namespace chat::client::ui {

class ChatView {
 public:
  // Call between ImGui::NewFrame() and ImGui::Render(). css_scale converts ImGui's framebuffer
  // pixels to CSS pixels for the recorded rectangles.
  void draw(const ViewState& state, const std::vector<LogLine>& log, double now, Intents& intents,
            float css_scale);
  const WidgetRects& rects() const { return rects_; }
  const std::string& active_field() const { return active_field_; }  // "" if none has focus

 private:
  void draw_status_bar(const ViewState& state, double now);
  void draw_login(const ViewState& state, Intents& intents);
  void draw_rooms(const ViewState& state, Intents& intents);
  void draw_log(const ViewState& state, const std::vector<LogLine>& log);
  void draw_log_line(const LogLine& line, int index);
  void draw_input(const ViewState& state, Intents& intents);
  void copy_selected_line(const std::vector<LogLine>& log);
  void record(std::string name);  // the last item's rectangle
  bool text_field(const char* id, std::string& text, const char* name);  // true on Enter

  std::string name_field_;
  std::string room_field_;
  std::string input_field_;
  bool focus_name_ = true;
  bool focus_input_ = true;
  int selected_line_ = -1;
  std::string selected_room_;  // the room selected_line_ belongs to
  float css_scale_ = 1;
  WidgetRects rects_;
  std::string active_field_;
};

}  // namespace chat::client::ui
