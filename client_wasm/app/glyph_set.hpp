// Which code points the font atlas holds and which it still needs: the view names every text it
// draws, the atlas (ui/glyph_atlas) rasterises what is pending between frames. Bounded: past the
// cap, new characters are drawn with the fallback glyph instead of growing the texture for ever.
#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace chat::client {

class GlyphSet {
 public:
  explicit GlyphSet(std::size_t max_glyphs = 4096) : max_(max_glyphs) {}

  // Notes the characters of a text about to be drawn (UTF-8, as ClusterTable::display gives it).
  void want(std::string_view utf8);
  bool has_pending() const { return !pending_.empty(); }
  // The characters to rasterise now; from then on they count as held.
  std::vector<char32_t> take_pending();
  // Everything held, to rasterise again (the pixel ratio changed).
  std::vector<char32_t> held() const { return {held_.begin(), held_.end()}; }
  std::size_t size() const { return held_.size() + pending_.size(); }
  bool full() const { return size() >= max_; }

 private:
  std::size_t max_;
  std::unordered_set<char32_t> held_;
  std::vector<char32_t> pending_;
  std::unordered_set<char32_t> pending_set_;
};

}  // namespace chat::client
