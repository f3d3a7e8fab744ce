// Keeps ImGui sharp on HiDPI screens: ImGui works in framebuffer pixels (DisplayFramebufferScale
// 1), so the font is rasterised and the style sized at devicePixelRatio. Not canvas sizing.
#pragma once

#include <vector>

namespace chat::client::ui {

class DisplayScale {
 public:
  // font: a TrueType file's bytes; if empty, ImGui's built-in (ASCII only) font is used.
  explicit DisplayScale(std::vector<unsigned char> font);

  // Rebuilds the font atlas and the style when the ratio changed. Call between frames.
  void update(float device_pixel_ratio);
  float ratio() const { return ratio_; }

 private:
  void build_fonts();
  void build_style();

  std::vector<unsigned char> font_;
  float ratio_ = 0;
};

}  // namespace chat::client::ui
