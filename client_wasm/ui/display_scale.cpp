// Style at the screen's pixel ratio; the glyphs are the atlas's business (ui/glyph_atlas.hpp).
#include "ui/display_scale.hpp"

#include <cmath>

#include "imgui.h"

namespace chat::client::ui {

bool DisplayScale::update(float device_pixel_ratio) {
  bool rebuilt = atlas_.update(device_pixel_ratio);
  if (device_pixel_ratio > 0 && std::fabs(device_pixel_ratio - ratio_) >= 0.01f) {
    ratio_ = device_pixel_ratio;
    ImGui::GetIO().FontGlobalScale = 1.0f;  // the atlas is at the right size: no blurry upscaling
    build_style();
    rebuilt = true;
  }
  return rebuilt;
}

void DisplayScale::build_style() {
  ImGuiStyle style;
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 0;
  style.FrameRounding = 4;
  style.ChildRounding = 4;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 6);
  style.ScrollbarSize = 16;
  style.ScaleAllSizes(ratio_);
  ImGui::GetStyle() = style;
}

}  // namespace chat::client::ui
