// Author colours: stable, and neighbours rarely clash (the "Clavier" and "robot2" shared
// a green among 12 hues).
#include "app/author_palette.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <tuple>

namespace chat::client {
namespace {

float hue_distance(const Hsv& a, const Hsv& b) {
  const float d = std::fabs(a.hue - b.hue);
  return std::min(d, 1.0f - d);
}

bool clash(const Hsv& a, const Hsv& b) {
  return hue_distance(a, b) < 1.0f / 36 && std::fabs(a.saturation - b.saturation) < 0.1f;
}

TEST(AuthorPalette, IsStable) {
  EXPECT_EQ(author_colour("ana").hue, author_colour("ana").hue);
}

TEST(AuthorPalette, ClavierAndRobot2DoNotClash) {
  EXPECT_FALSE(clash(author_colour("Clavier"), author_colour("robot2")));
}

TEST(AuthorPalette, FewClashesAmongTwentyPeople) {
  std::vector<Hsv> colours;
  for (int i = 0; i < 20; ++i) colours.push_back(author_colour("user" + std::to_string(i)));
  int clashes = 0;
  for (std::size_t i = 0; i < colours.size(); ++i) {
    for (std::size_t j = i + 1; j < colours.size(); ++j) clashes += clash(colours[i], colours[j]) ? 1 : 0;
  }
  EXPECT_LE(clashes, 3) << "of 190 pairs";
}

}  // namespace
}  // namespace chat::client
