// Range tables copied from ICU 72's properties (Unicode 15.0), the same data the server's name keys
// use; tests/server/ignorable_data_test.cpp compares them with ICU over every code point, so an ICU
// upgrade that changes them fails there rather than silently disagreeing with the browser.
#include "ignorable.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace chat {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

constexpr std::array<Range, 17> kDefaultIgnorable{{
    {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160}, {0x17B4, 0x17B5},
    {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F}, {0x3164, 0x3164},
    {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
}};

constexpr std::array<Range, 4> kBidiControl{{
    {0x061C, 0x061C}, {0x200E, 0x200F}, {0x202A, 0x202E}, {0x2066, 0x2069},
}};

template <std::size_t N>
bool in_ranges(const std::array<Range, N>& ranges, char32_t c) {
  const auto it = std::upper_bound(ranges.begin(), ranges.end(), c,
                                   [](char32_t value, const Range& range) { return value < range.first; });
  return it != ranges.begin() && c <= std::prev(it)->last;
}

}  // namespace

bool is_default_ignorable(char32_t c) { return in_ranges(kDefaultIgnorable, c); }
bool is_bidi_control(char32_t c) { return in_ranges(kBidiControl, c); }

}  // namespace chat
