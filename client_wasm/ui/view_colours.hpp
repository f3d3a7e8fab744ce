// The colours the view draws with, shared by its two files (chat_view.cpp, chat_view_log.cpp).
#pragma once

#include <string>

#include "app/author_palette.hpp"
#include "imgui.h"

namespace chat::client::ui {

inline const ImVec4 kErrorColour(1.0f, 0.47f, 0.42f, 1.0f);
inline const ImVec4 kNoticeColour(0.62f, 0.64f, 0.70f, 1.0f);

inline ImVec4 author_colour(const std::string& name) {
  const Hsv hsv = chat::client::author_colour(name);
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hsv.hue, hsv.saturation, hsv.value, r, g, b);
  return ImVec4(r, g, b, 1.0f);
}

}  // namespace chat::client::ui
