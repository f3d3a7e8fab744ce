// Strict UTF-8 decoding: the boundaries of every sequence length and every kind of malformation.
#include "shared/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat {
namespace {

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(utf8::count_code_points(""), 0u);
  EXPECT_EQ(utf8::count_code_points("abc"), 3u);
  EXPECT_EQ(utf8::count_code_points("é€😀"), 3u);
  EXPECT_EQ(utf8::count_code_points("👩‍💻"), 3u);  // woman, ZWJ, laptop
}

TEST(Utf8, AcceptsBoundaryCodePoints) {
  for (const char* text : {"\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                           "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(utf8::is_valid(text)) << text;
  }
}

TEST(Utf8, RefusesMalformedSequences) {
  for (const char* text : {
           "\x80",              // lone continuation
           "\xC2",              // truncated
           "\xE2\x82",          // truncated
           "\xC0\x80",          // overlong NUL
           "\xE0\x80\xAF",      // overlong
           "\xF0\x80\x80\xAF",  // overlong
           "\xED\xA0\x80",      // surrogate
           "\xF4\x90\x80\x80",  // above U+10FFFF
           "\xF8\x88\x80\x80\x80",
           "\xFF",
           "a\xC3(",
       }) {
    EXPECT_FALSE(utf8::is_valid(text)) << text;
  }
}

TEST(Utf8, DecodeNextAdvancesAndStopsOnError) {
  const std::string text = "a\xC3\xA9\xFF";
  std::size_t pos = 0;
  EXPECT_EQ(utf8::decode_next(text, pos), U'a');
  EXPECT_EQ(utf8::decode_next(text, pos), U'é');
  EXPECT_EQ(pos, 3u);
  EXPECT_EQ(utf8::decode_next(text, pos), std::nullopt);
  EXPECT_EQ(pos, 3u);
}

TEST(Utf8, TruncateNeverSplitsASequence) {
  EXPECT_EQ(utf8::truncate("abc", 5), "abc");
  EXPECT_EQ(utf8::truncate("abé", 3), "ab");
  EXPECT_EQ(utf8::truncate("ab😀", 5), "ab");
  EXPECT_EQ(utf8::truncate("ab😀", 6), "ab😀");
}

}  // namespace
}  // namespace chat

namespace chat::utf8 {
namespace {

// Writing then reading gives the code point back, in the shortest form, at every length boundary.
TEST(Utf8, AppendWritesWhatDecodeReadsBack) {
  for (const char32_t c : {U'A', U'\x7F', U'\x80', U'\x7FF', U'\x800', U'\xFFFF', U'\x10000', U'\x10FFFF'}) {
    std::string out;
    append(out, c);
    std::size_t pos = 0;
    const auto back = decode_next(out, pos);
    ASSERT_TRUE(back.has_value()) << static_cast<std::uint32_t>(c);
    EXPECT_EQ(*back, c);
    EXPECT_EQ(pos, out.size());
    EXPECT_EQ(out.size(), c < 0x80 ? 1u : c < 0x800 ? 2u : c < 0x10000 ? 3u : 4u);
  }
}

}  // namespace
}  // namespace chat::utf8
