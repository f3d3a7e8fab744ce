// Font atlas and style at the screen's pixel ratio.
#include "ui/display_scale.hpp"

#include <cmath>
#include <utility>

#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"

namespace chat::client::ui {
namespace {

constexpr float kFontCssPixels = 16.0f;

// Latin + Latin Extended, Greek, Cyrillic, general punctuation, plus the two symbols the view
// draws and U+FFFD, which ImGui shows for any character the atlas lacks (emoji included).
const ImWchar kGlyphRanges[] = {
    0x0020, 0x024F,  // Basic Latin, Latin-1 Supplement, Latin Extended-A and -B
    0x0370, 0x03FF,  // Greek and Coptic
    0x0400, 0x052F,  // Cyrillic and its Supplement
    0x1E00, 0x1EFF,  // Latin Extended Additional (Vietnamese, Welsh)
    0x2000, 0x206F,  // General Punctuation
    0x20AC, 0x20AC,  // Euro sign
    0x25CB, 0x25CB,  // White circle: the other rooms
    0x25CF, 0x25CF,  // Black circle: the current room and the connection light
    0xFFFD, 0xFFFD,  // Replacement character
    0,
};

}  // namespace

DisplayScale::DisplayScale(std::vector<unsigned char> font) : font_(std::move(font)) {}

void DisplayScale::update(float device_pixel_ratio) {
  if (device_pixel_ratio <= 0 || std::fabs(device_pixel_ratio - ratio_) < 0.01f) return;
  ratio_ = device_pixel_ratio;
  build_fonts();
  build_style();
}

void DisplayScale::build_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  if (font_.empty()) {
    ImFontConfig config;
    config.SizePixels = std::round(13.0f * ratio_);
    io.Fonts->AddFontDefault(&config);
  } else {
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;  // kept in font_ to rebuild when the ratio changes
    config.OversampleH = 2;
    io.Fonts->AddFontFromMemoryTTF(font_.data(), static_cast<int>(font_.size()),
                                   std::round(kFontCssPixels * ratio_), &config, kGlyphRanges);
  }
  io.FontGlobalScale = 1.0f;  // the atlas is already at the right size: no blurry upscaling
  // The renderer rebuilds its objects, font texture included, at the next NewFrame.
  ImGui_ImplOpenGL3_DestroyDeviceObjects();
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
