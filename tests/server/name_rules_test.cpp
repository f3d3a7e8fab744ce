// name_rules: which nicknames and room names the server accepts (PROTOCOL.md, Names).
#include "server/names/name_rules.hpp"
#include "shared/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

#include "server/ascii_names.hpp"

namespace chat {
namespace {

const Limits kLimits{};

std::optional<ErrorCode> name_error(const std::string& name) {
  auto error = check_name(name, kLimits);
  return error ? std::optional(error->code) : std::nullopt;
}

std::string detail(const std::string& name) {
  auto error = check_name(name, kLimits);
  return error ? error->detail : "";
}

std::string utf8(char32_t c) {
  std::string out;
  utf8::append(out, c);
  return out;
}

TEST(NameRules, AcceptsTheSeedNamesAndOrdinaryOnes) {
  for (const char* name : {"alice", "Bob_2", "Zo\xC3\xAB", "\xCE\x95\xCE\xBB\xCE\xAD\xCE\xBD\xCE\xB7",
                           "\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8\xD0\xB9", "\xE6\x9D\x8E\xE9\x9B\xB7",
                           "Mary Ann", "x.y-z_1", "\xF0\x9F\x98\x80", "alice \xF0\x9F\x8E\x89", "\xE1\xBA\xA1lice",
                           "\xEF\xBC\xA1\xEF\xBC\xAC\xEF\xBC\xA9\xEF\xBC\xA3\xEF\xBC\xA5", "\xD6\x85scar",
                           "\xE6\x9D\x8E\xE9\x9B\xB7 Lei", "aIice"}) {
    EXPECT_EQ(name_error(name), std::nullopt) << name << ": " << detail(name);
  }
}

// U+202E + a name spelled backwards displays as that name.
TEST(NameRules, RefusesBidirectionalControls) {
  for (const char32_t c : {0x202E, 0x202D, 0x200F, 0x2066, 0x061C}) {
    const std::string name = utf8(c) + "ecila";
    EXPECT_EQ(name_error(name), ErrorCode::invalid_name) << std::hex << c;
    EXPECT_NE(detail(name).find("bidirectional"), std::string::npos) << detail(name);
  }
}

// The names made only of characters that show as nothing, alone, repeated, or around a
// letter.
TEST(NameRules, RefusesNamesThatShowNothing) {
  for (const char32_t c : {0x2800, 0x3164, 0x115F, 0xFFA0, 0x200E, 0x202E, 0x2061, 0x180E, 0xE0020, 0x034F}) {
    for (const std::string& name : {utf8(c), utf8(c) + utf8(c) + utf8(c), "a" + utf8(c) + "b"}) {
      EXPECT_EQ(name_error(name), ErrorCode::invalid_name) << std::hex << c;
    }
  }
  EXPECT_EQ(name_error("\xCC\x81\xCC\x81"), ErrorCode::invalid_name);  // combining marks only
}

TEST(NameRules, RefusesLettersNotUsedInNames) {
  for (const std::string name : {"\xE1\xB4\x80lice", "\xC9\x91lice"}) {  // ᴀlice, ɑlice
    EXPECT_EQ(name_error(name), ErrorCode::invalid_name) << name;
    EXPECT_NE(detail(name).find("not used in names"), std::string::npos) << detail(name);
  }
}

TEST(NameRules, RefusesMixedScripts) {
  for (const std::string name : {"\xCE\xBDick", "\xD0\xB0lice", "p\xD0\xB0yp\xD0\xB0l"}) {  // νick, аlice
    EXPECT_EQ(name_error(name), ErrorCode::invalid_name) << name;
    EXPECT_NE(detail(name).find("mixes scripts"), std::string::npos) << detail(name);
  }
  EXPECT_NE(detail("\xCE\xBDick").find("Latin"), std::string::npos);
  EXPECT_NE(detail("\xCE\xBDick").find("Greek"), std::string::npos);
}

TEST(NameRules, RoomsFollowTheSameRulesWithTheirOwnCode) {
  EXPECT_FALSE(check_room("jeux vid\xC3\xA9o", kLimits));
  const auto reversed = check_room("\xE2\x80\xAEmoor", kLimits);
  ASSERT_TRUE(reversed);
  EXPECT_EQ(reversed->code, ErrorCode::invalid_room);
  const auto mixed = check_room("\xD0\xB0rt", kLimits);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->code, ErrorCode::invalid_room);
  EXPECT_EQ(check_room(" general", kLimits)->code, ErrorCode::invalid_room);  // the shared rules first
}

// Names of printable ASCII skip ICU's checks; the verdict must be exactly ICU's.
TEST(CheckName, TheAsciiShortcutJudgesAsIcuDoes) {
  EXPECT_EQ(disagreements([](const std::string& name) -> std::string {
              const auto fast = unicode_problem(name);
              const auto reference = unicode_problem_by_icu(name);
              return fast == reference ? "" : fast.value_or("ok") + " / " + reference.value_or("ok");
            }),
            0);
}

}  // namespace
}  // namespace chat
