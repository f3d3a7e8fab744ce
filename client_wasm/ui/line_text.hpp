// One log line's text as the canvas draws it: wrapped by ImGui's own rule (the loop of
// ImFont::CalcTextSizeA, same font), each cluster placed, so that a point on the screen maps back
// to a byte of the line (selecting part of it) and links are drawn, and hit, as links.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "app/links.hpp"
#include "imgui.h"
#include "ui/glyph_atlas.hpp"

namespace chat::client::ui {

class LineText {
 public:
  // Lays out `clusters` (display order) in the current font, `wrap_width` pixels wide.
  LineText(std::vector<ShownCluster> clusters, float wrap_width);

  ImVec2 size() const { return size_; }
  // Draws at `origin` (screen): the text, the links in their colour and underlined, and the
  // selected bytes [selected.first, selected.second) of the source text on a highlight.
  void draw(ImDrawList* draw_list, ImVec2 origin, ImU32 text_colour,
            const std::vector<LinkSpan>& links, std::pair<std::size_t, std::size_t> selected) const;
  // The source byte nearest to a point (relative to the origin): the start of the cluster under
  // it, or the end of the row right of it; 0 above the text, the end below it.
  std::size_t offset_at(ImVec2 point) const;
  // Where a source range is drawn on its first row, relative to the origin (empty: not drawn).
  std::pair<ImVec2, ImVec2> first_row_of(std::size_t begin, std::size_t end) const;

 private:
  struct Placed {
    int row = 0;
    float x = 0;
    float width = 0;
    std::size_t shown_at = 0;  // its code's first byte in shown_
    bool control = false;      // a line break: takes no room, never drawn
  };

  void place(std::size_t index, int row, float x, float width, bool control);

  std::vector<ShownCluster> clusters_;
  std::vector<Placed> placed_;
  std::string shown_;  // the codes, as ImGui draws them
  float line_height_ = 0;
  int rows_ = 1;
  ImVec2 size_;
};

}  // namespace chat::client::ui
