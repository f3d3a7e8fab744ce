// FNV-1a of the UTF-8 bytes, then the golden-ratio hue (Weyl sequence) and a tone from other bits.
#include "app/author_palette.hpp"

#include <cmath>
#include <cstdint>

namespace chat::client {

Hsv author_colour(std::string_view name) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : name) hash = (hash ^ c) * 16777619u;
  constexpr double kGolden = 0.6180339887498949;
  const double hue = std::fmod(static_cast<double>(hash & 0xFFFFu) * kGolden, 1.0);
  static constexpr Hsv kTones[] = {{0, 0.55f, 1.0f}, {0, 0.35f, 1.0f}, {0, 0.70f, 0.95f}};
  Hsv colour = kTones[(hash >> 16) % 3];
  colour.hue = static_cast<float>(hue);
  return colour;
}

}  // namespace chat::client
