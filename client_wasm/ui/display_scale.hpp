// Keeps ImGui sharp on HiDPI screens: ImGui works in framebuffer pixels (DisplayFramebufferScale
// 1), so the glyphs are rasterised and the style sized at devicePixelRatio. Not canvas sizing.
#pragma once

#include "ui/glyph_atlas.hpp"

namespace chat::client::ui {

class DisplayScale {
 public:
  // Rebuilds the style when the ratio changed, and the glyph atlas when it changed or glyphs are
  // wanted. Call between frames. True if anything was rebuilt (worth drawing a frame).
  bool update(float device_pixel_ratio);
  float ratio() const { return ratio_; }
  GlyphAtlas& atlas() { return atlas_; }

 private:
  void build_style();

  GlyphAtlas atlas_;
  float ratio_ = 0;
};

}  // namespace chat::client::ui
