// Cluster boundaries by table (no ICU in the page): close to Unicode's extended grapheme clusters
// for the scripts users type, plus whole right-to-left words, which the browser then shapes and
// orders itself (Arabic letters join only when drawn together).
#include "app/text_clusters.hpp"

#include <algorithm>
#include <utility>

#include "shared/utf8.hpp"

namespace chat::client {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Combining marks (Mn, Mc, Me) of the scripts above, joiners, variation selectors, emoji
// modifiers and tags, Hangul medial and final jamo.
constexpr Range kExtenders[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC}, {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0900, 0x0903},
    {0x093A, 0x093C}, {0x093E, 0x094F}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0981, 0x0983},
    {0x09BC, 0x09BC}, {0x09BE, 0x09CD}, {0x0A01, 0x0A03}, {0x0A3C, 0x0A51}, {0x0A81, 0x0A83},
    {0x0ABC, 0x0ACD}, {0x0B01, 0x0B03}, {0x0B3C, 0x0B57}, {0x0B82, 0x0B82}, {0x0BBE, 0x0BCD},
    {0x0C00, 0x0C04}, {0x0C3E, 0x0C56}, {0x0C81, 0x0C83}, {0x0CBC, 0x0CD6}, {0x0D00, 0x0D03},
    {0x0D3B, 0x0D4D}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x0EB1, 0x0EB1},
    {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200C, 0x200D}, {0x20D0, 0x20FF}, {0x302A, 0x302F}, {0x3099, 0x309A}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0x1F3FB, 0x1F3FF}, {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
};

constexpr Range kRightToLeft[] = {
    {0x0590, 0x08FF}, {0xFB1D, 0xFDFF}, {0xFE70, 0xFEFF}, {0x10800, 0x10FFF}, {0x1E800, 0x1EFFF},
};

// After these the next letter belongs to the same cluster: ZWJ (emoji sequences) and the viramas
// of Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam (conjuncts).
constexpr char32_t kJoinNext[] = {0x200D, 0x094D, 0x09CD, 0x0A4D, 0x0ACD,
                                  0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D4D};

template <std::size_t N>
bool in(const Range (&ranges)[N], char32_t c) {
  return std::any_of(std::begin(ranges), std::end(ranges),
                     [c](const Range& r) { return c >= r.first && c <= r.last; });
}

bool is_regional_indicator(char32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }

// Spaces and punctuation: between two right-to-left words they belong to the run (Unicode's
// bidi rule N1 for neutrals between two strong characters of the same direction).
bool is_neutral(const std::string& cluster) {
  if (cluster.size() == 1) {
    const char c = cluster[0];
    return !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
  }
  return cluster == "\u00B7" || cluster == "\u00A0" || cluster == "\u2013" ||
         cluster == "\u2014" || cluster == "\u2026" || cluster == "\u060C";
}

struct Cluster {
  std::string text;
  char32_t first = 0;
  int characters = 0;
  std::size_t begin = 0;  // its bytes in the source text
  std::size_t end = 0;
};

// Whether c continues the cluster `current` (whose last character was `last`).
bool continues(const Cluster& current, char32_t last, char32_t c) {
  if (current.characters == 0) return false;
  if (is_extender(c)) return true;
  if (std::find(std::begin(kJoinNext), std::end(kJoinNext), last) != std::end(kJoinNext)) return true;
  if (is_regional_indicator(c)) return current.characters == 1 && is_regional_indicator(current.first);
  return is_right_to_left(c) && is_right_to_left(current.first);
}

// Puts each run of right-to-left words (and the spaces and punctuation between them) right to
// left, so that in the left-to-right line "שלום עולם" reads as the browser would show it.
void order_right_to_left_runs(std::vector<Cluster>& clusters) {
  std::size_t i = 0;
  while (i < clusters.size()) {
    if (!is_right_to_left(clusters[i].first)) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;  // one past the run's last word
    for (std::size_t next = end; next < clusters.size(); ++next) {
      if (is_right_to_left(clusters[next].first)) {
        end = next + 1;
      } else if (!is_neutral(clusters[next].text)) {
        break;
      }
    }
    std::reverse(clusters.begin() + static_cast<std::ptrdiff_t>(i),
                 clusters.begin() + static_cast<std::ptrdiff_t>(end));
    i = end;
  }
}

}  // namespace

bool is_extender(char32_t c) { return in(kExtenders, c); }
bool is_right_to_left(char32_t c) { return in(kRightToLeft, c); }

std::vector<std::string> split_clusters(std::string_view utf8) {
  std::vector<std::string> out;
  for (auto& cluster : split_sourced_clusters(utf8)) out.push_back(std::move(cluster.text));
  return out;
}

std::vector<SourcedCluster> split_sourced_clusters(std::string_view utf8) {
  std::vector<Cluster> clusters;
  char32_t last = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::size_t before = pos;
    char32_t c = utf8::decode_next(utf8, pos).value_or(0xFFFD);
    if (pos == before) ++pos;  // never loop on a byte the decoder did not take
    std::string encoded;
    utf8::append(encoded, c);
    const bool joins = !clusters.empty() && continues(clusters.back(), last, c) &&
                       clusters.back().text.size() + encoded.size() <= kMaxClusterBytes;
    if (!joins) clusters.push_back(Cluster{std::string(), c, 0, before, before});
    clusters.back().text += encoded;
    clusters.back().characters += 1;
    clusters.back().end = pos;
    last = c;
  }
  order_right_to_left_runs(clusters);
  std::vector<SourcedCluster> out;
  out.reserve(clusters.size());
  for (auto& cluster : clusters) out.push_back({std::move(cluster.text), cluster.begin, cluster.end});
  return out;
}

std::string ClusterTable::display(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (const auto& cluster : split_clusters(utf8)) out += display_cluster(cluster);
  return out;
}

std::string ClusterTable::display_cluster(const std::string& cluster) {
  std::size_t pos = 0;
  const char32_t first = utf8::decode_next(cluster, pos).value_or(0xFFFD);
  // A private-use character typed by someone goes through the table too, so that its code
  // never stands for another cluster.
  const bool single = pos == cluster.size() && (first < kFirst || first > kLast);
  std::string out;
  utf8::append(out, single ? first : code_for(cluster));
  return out;
}

char32_t ClusterTable::code_for(const std::string& cluster) {
  const auto found = codes_.find(cluster);
  if (found != codes_.end()) return found->second;
  std::size_t pos = 0;
  const char32_t first = utf8::decode_next(cluster, pos).value_or(0xFFFD);
  if (clusters_.size() > static_cast<std::size_t>(kLast - kFirst)) return first;  // table full
  const char32_t code = kFirst + static_cast<char32_t>(clusters_.size());
  clusters_.push_back(cluster);
  codes_.emplace(cluster, code);
  return code;
}

std::string ClusterTable::text_of(char32_t code) const {
  if (code >= kFirst && code - kFirst < clusters_.size()) return clusters_[code - kFirst];
  std::string out;
  utf8::append(out, code);
  return out;
}

}  // namespace chat::client
