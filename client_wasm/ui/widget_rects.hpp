// Where the view drew the widgets a browser test clicks, in CSS pixels from the canvas' top-left.
// Recorded every frame by ChatView; read by the snapshot. Never used to act on the UI.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chat::client::ui {

struct Rect {
  float x = 0;
  float y = 0;
  float width = 0;
  float height = 0;
};

using WidgetRects = std::vector<std::pair<std::string, Rect>>;

}  // namespace chat::client::ui
