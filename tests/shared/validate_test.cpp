// The shared naming and text rules: what both server and client accept and refuse.
#include "shared/validate.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat {
namespace {

const Limits kLimits{};

std::optional<ErrorCode> name_error(std::string_view name) {
  auto error = validate_name(name, kLimits);
  return error ? std::optional(error->code) : std::nullopt;
}

TEST(ValidateName, AcceptsOrdinaryNames) {
  for (const char* name : {"bob", "AlphaXZero", "Zoë", "Ελένη", "Дмитрий", "李雷", "a b", "😀",
                           "x.y-z_1", "alice 🎉"}) {
    EXPECT_EQ(name_error(name), std::nullopt) << name;
  }
}

TEST(ValidateName, RefusesEmptyLongSpacedAndControlNames) {
  const std::string cases[] = {
      "",
      std::string(33, 'a'),
      " bob",
      "bob ",
      "\xC2\xA0" "bob",          // no-break space
      "bob\xE2\x80\x8B",         // zero-width space at the edge
      "\xE3\x80\x80" "bob",      // ideographic space
      "bo\nb",
      "bo\tb",
      std::string("bo\0b", 4),
      "bo\x7F" "b",
      "bo\xC2\x85" "b",          // C1 control (NEL)
      "bo\xFF" "b",              // invalid UTF-8
  };
  for (const auto& name : cases) {
    EXPECT_EQ(name_error(name), ErrorCode::invalid_name) << "[" << name << "]";
  }
}

// Issue 12: "\u202Eecila" displayed as "alice"; names of characters that draw nothing were accepted.
TEST(ValidateName, RefusesBidirectionalControlsAndInvisibleCharactersAnywhere) {
  const std::string hidden[] = {
      "\u2800", "\u3164", "\u115F", "\uFFA0", "\u200E", "\u202E", "\u2061", "\u180E", "\U000E0020", "\u034F",
      "\u2800\u2800", "al\u200Bice", "ali\u2800ce", "\u202Eecila", "a\u2066b\u2069c",
      "👩‍💻",        // the zero-width joiner of an emoji sequence is default-ignorable too
      "alice\uFE0F",  // variation selector
  };
  for (const auto& name : hidden) EXPECT_EQ(name_error(name), ErrorCode::invalid_name) << "[" << name << "]";
  EXPECT_EQ(validate_name("\u202Eecila", kLimits)->detail, "contains a bidirectional control character (U+202E)");
  EXPECT_EQ(validate_name("a\u2800", kLimits)->detail, "contains an invisible character (U+2800)");
  EXPECT_EQ(validate_room("\u202Emoor", kLimits)->code, ErrorCode::invalid_room);
}

TEST(ValidateName, CountsCodePointsNotBytes) {
  std::string thirty_two_accents;
  for (int i = 0; i < 32; ++i) thirty_two_accents += "é";
  EXPECT_EQ(name_error(thirty_two_accents), std::nullopt);
  EXPECT_EQ(name_error(thirty_two_accents + "é"), ErrorCode::invalid_name);
}

TEST(ValidateName, ErrorSaysWhy) {
  auto error = validate_name(std::string(40, 'x'), kLimits);
  ASSERT_TRUE(error);
  EXPECT_EQ(describe(*error), "invalid name: longer than 32 characters");
}

TEST(ValidateRoom, SameRulesWithItsOwnCode) {
  EXPECT_FALSE(validate_room("jeux vidéo", kLimits));
  auto error = validate_room(" general", kLimits);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::invalid_room);
  Limits small = kLimits;
  small.max_room_code_points = 3;
  EXPECT_TRUE(validate_room("abcd", small));
  EXPECT_FALSE(validate_room("abc", small));
}

TEST(ValidateText, AcceptsMultiLineUnicodeText) {
  for (const char* text : {"hi", " leading and trailing spaces are kept ", "line 1\nline 2\r\n\tx",
                           "👩‍👩‍👧‍👦", "e\xCC\x81", "\xE2\x80\xA8 separator"}) {
    EXPECT_FALSE(validate_text(text, kLimits)) << text;
  }
}

TEST(ValidateText, RefusesBlankTooLongAndControl) {
  EXPECT_EQ(validate_text("", kLimits)->code, ErrorCode::empty_message);
  EXPECT_EQ(validate_text(" \n\t\xE2\x80\x8B", kLimits)->code, ErrorCode::empty_message);
  EXPECT_EQ(validate_text(std::string(4097, 'a'), kLimits)->code, ErrorCode::message_too_long);
  EXPECT_FALSE(validate_text(std::string(4096, 'a'), kLimits));
  EXPECT_EQ(validate_text("bell\x07", kLimits)->code, ErrorCode::invalid_message);
  EXPECT_EQ(validate_text("bad\xC3", kLimits)->code, ErrorCode::invalid_message);
}

TEST(ValidateText, TooLongSaysTheLimit) {
  auto error = validate_text(std::string(65536, 'a'), kLimits);
  ASSERT_TRUE(error);
  EXPECT_EQ(describe(*error), "message too long: 65536 bytes, the limit is 4096");
}

}  // namespace
}  // namespace chat
