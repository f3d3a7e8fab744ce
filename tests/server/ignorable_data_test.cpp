// The shared (ICU-free) tables of default-ignorable and bidirectional-control characters agree
// with ICU's Unicode data on every code point, so browser and server refuse the same names.
#include <unicode/uchar.h>

#include <gtest/gtest.h>

#include "shared/ignorable.hpp"

namespace chat {
namespace {

TEST(IgnorableData, SharedTablesMatchIcuOnEveryCodePoint) {
  int mismatches = 0;
  for (UChar32 c = 0; c <= 0x10FFFF && mismatches < 5; ++c) {
    const bool ignorable = u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
    const bool bidi = u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL);
    if (is_default_ignorable(static_cast<char32_t>(c)) != ignorable) ADD_FAILURE() << "ignorable " << std::hex << c, ++mismatches;
    if (is_bidi_control(static_cast<char32_t>(c)) != bidi) ADD_FAILURE() << "bidi " << std::hex << c, ++mismatches;
  }
}

}  // namespace
}  // namespace chat
