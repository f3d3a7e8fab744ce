// GlyphSet: each character is asked for once, and never more than the cap.
#include "app/glyph_set.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

TEST(GlyphSet, NewCharactersArePendingOnce) {
  GlyphSet glyphs;
  glyphs.want("你好你");
  EXPECT_EQ(glyphs.take_pending(), (std::vector<char32_t>{U'你', U'好'}));
  glyphs.want("好!");
  EXPECT_EQ(glyphs.take_pending(), (std::vector<char32_t>{U'!'}));
  EXPECT_FALSE(glyphs.has_pending());
  EXPECT_EQ(glyphs.size(), 3u);
}

TEST(GlyphSet, StopsAtTheCap) {
  GlyphSet glyphs(2);
  glyphs.want("abc");
  EXPECT_EQ(glyphs.take_pending(), (std::vector<char32_t>{U'a', U'b'}));
  glyphs.want("d");
  EXPECT_FALSE(glyphs.has_pending());
  EXPECT_TRUE(glyphs.full());
}

}  // namespace
}  // namespace chat::client
