// What the canvas view draws as one glyph each: the text cut into clusters (a base character with
// its combining marks, an emoji sequence, a flag, an Indic conjunct, a right-to-left word), each
// multi-character cluster given a private-use code point so ImGui, which draws one glyph per code
// point, shows it composed. Pure: the browser's text engine rasterises the clusters (ui/glyph_atlas).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chat::client {

// One cluster per element, in display order (right-to-left words of a run put right to left).
// Invalid UTF-8 bytes become U+FFFD. A cluster holds at most kMaxClusterBytes (longer ones are cut).
std::vector<std::string> split_clusters(std::string_view utf8);
inline constexpr std::size_t kMaxClusterBytes = 64;  // a glyph stays a few hundred pixels wide

// A cluster and the bytes of the text it came from, [begin, end): what a selection or a link in
// the drawn text maps back to.
struct SourcedCluster {
  std::string text;
  std::size_t begin = 0;
  std::size_t end = 0;
};
// As split_clusters, with each cluster's source bytes (in display order, so a right-to-left run's
// ranges go down).
std::vector<SourcedCluster> split_sourced_clusters(std::string_view utf8);
bool is_right_to_left(char32_t c);  // Hebrew and Arabic letters (strong RTL)
bool is_extender(char32_t c);       // joins the preceding character's cluster

// Gives each multi-character cluster a code point of the Private Use Area (U+E000..U+F8FF, 6 400
// of them, first come first served; then the cluster's first character is drawn instead).
class ClusterTable {
 public:
  static constexpr char32_t kFirst = 0xE000;
  static constexpr char32_t kLast = 0xF8FF;

  // The text to hand ImGui: single characters as they are, clusters as their code point.
  std::string display(std::string_view utf8);
  // The one code point (UTF-8) that stands for a cluster in the displayed text.
  std::string display_cluster(const std::string& cluster);
  // The cluster a code point stands for; for an ordinary character, its own UTF-8.
  std::string text_of(char32_t code) const;
  std::size_t size() const { return clusters_.size(); }

 private:
  char32_t code_for(const std::string& cluster);

  std::unordered_map<std::string, char32_t> codes_;
  std::vector<std::string> clusters_;  // clusters_[code - kFirst]
};

}  // namespace chat::client
