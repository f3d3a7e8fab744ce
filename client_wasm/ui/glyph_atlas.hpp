// ImGui's font atlas filled on demand by the browser's own text engine: each character or cluster
// the view draws is rasterised once on a 2D canvas (system fonts and their fallback, colour emoji
// included) and packed into the atlas between frames. No font file is downloaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/glyph_set.hpp"
#include "app/text_clusters.hpp"

namespace chat::client::ui {

// One cluster as ImGui draws it (a single code point, UTF-8) and the bytes of the source text it
// stands for, [begin, end).
struct ShownCluster {
  std::string code;
  std::size_t begin = 0;
  std::size_t end = 0;
};

class GlyphAtlas {
 public:
  GlyphAtlas();

  // Between frames (before ImGui::NewFrame): rasterises what the last frame lacked, or everything
  // again at a new pixel ratio, and rebuilds the atlas. True if it rebuilt.
  bool update(float device_pixel_ratio);
  // The text to give ImGui for `utf8`: clusters as their private code, each one requested.
  std::string shown(std::string_view utf8);
  // The same, cluster by cluster, each with its source bytes (ui/line_text places them).
  std::vector<ShownCluster> shown_clusters(std::string_view utf8);
  // Requests the characters of a text ImGui edits as it is (the input fields).
  void want(std::string_view utf8) { glyphs_.want(utf8); }
  bool has_pending() const { return glyphs_.has_pending(); }

  // For the snapshot and the benchmarks.
  std::size_t glyph_count() const { return bitmaps_.size(); }
  std::size_t colored_count() const;  // colour glyphs (emoji)
  const std::vector<std::string>& missing() const { return missing_; }  // no system font has them
  double last_build_ms() const { return last_build_ms_; }
  double last_glyph_ms() const { return last_glyph_ms_; }  // rasterising, per new glyph
  int texture_width() const { return texture_width_; }
  int texture_height() const { return texture_height_; }
  float line_pixels() const;

 private:
  struct Bitmap {
    char32_t code = 0;
    int width = 1;
    int height = 1;
    float advance = 0;
    float x = 0;  // offset from the pen position to the bitmap's left edge
    float y = 0;  // from the line's top
    bool colored = false;
    std::vector<std::uint8_t> rgba;
  };

  Bitmap rasterise(char32_t code);
  void rebuild();

  ClusterTable clusters_;
  GlyphSet glyphs_;
  std::vector<Bitmap> bitmaps_;
  std::vector<std::string> missing_;
  float ratio_ = 0;
  bool textures_live_ = false;
  double last_build_ms_ = 0;
  double last_glyph_ms_ = 0;
  int texture_width_ = 0;
  int texture_height_ = 0;
};

}  // namespace chat::client::ui
