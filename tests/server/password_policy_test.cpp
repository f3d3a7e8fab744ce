// The password policy: bounds in code points and bytes, text only, never the name; refusals that
// never quote the password.
#include "server/accounts/password_policy.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

std::string repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

struct Case {
  std::string password;
  PasswordProblem expected;
};

TEST(PasswordPolicy, EachRuleOnItsBoundary) {
  const Case cases[] = {
      {"abcdefgh", PasswordProblem::none},                       // 8 characters
      {"abcdefg", PasswordProblem::too_short},                   // 7
      {"", PasswordProblem::too_short},
      {"пароль12", PasswordProblem::none},                       // 8 characters, 14 bytes
      {"日本語のパス", PasswordProblem::too_short},                // 6 characters, 18 bytes: bytes do not count
      {"🔑🔑🔑🔑🔑🔑🔑🔑", PasswordProblem::none},                  // 8 characters, 32 bytes
      {std::string(1024, 'x'), PasswordProblem::none},
      {std::string(1025, 'x'), PasswordProblem::too_long},
      {repeat("€", 341), PasswordProblem::none},                 // 1023 bytes
      {repeat("€", 342), PasswordProblem::too_long},             // 1026 bytes, 342 characters
      {"abcd\xff" "efgh", PasswordProblem::not_utf8},
      {"abcd\xed\xa0\x80" "efgh", PasswordProblem::not_utf8},    // a surrogate
      {"two words here", PasswordProblem::none},                 // spaces are fine
      {"abcdefgh\n", PasswordProblem::control_character},
      {"abcd\tefgh", PasswordProblem::control_character},
      {std::string("abcd\0efgh", 9), PasswordProblem::control_character},
      {"abcd\x7f" "efgh", PasswordProblem::control_character},
      {"abcd\xc2\x85" "efgh", PasswordProblem::control_character},  // U+0085, a C1 line break
  };
  for (const Case& c : cases) {
    EXPECT_EQ(password_problem(c.password, "alice"), c.expected) << c.password.size() << " bytes: " << c.password;
  }
}

TEST(PasswordPolicy, TheNameItselfIsRefusedInAnySpellingOfIt) {
  EXPECT_EQ(password_problem("alexandria", "alexandria"), PasswordProblem::same_as_name);
  EXPECT_EQ(password_problem("ALEXANDRIA", "Alexandria"), PasswordProblem::same_as_name);
  EXPECT_EQ(password_problem("ａｌｅｘａｎｄｒｉａ", "alexandria"), PasswordProblem::same_as_name);  // full width
  EXPECT_EQ(password_problem("alexandria1", "alexandria"), PasswordProblem::none);
  EXPECT_EQ(password_problem("alexandria", "alexandra"), PasswordProblem::none);
}

TEST(PasswordPolicy, TheBoundsAreSettings) {
  const PasswordRules rules{12, 16};
  EXPECT_EQ(password_problem("abcdefghijk", "alice", rules), PasswordProblem::too_short);
  EXPECT_EQ(password_problem("abcdefghijkl", "alice", rules), PasswordProblem::none);
  EXPECT_EQ(password_problem("abcdefghijklmnopq", "alice", rules), PasswordProblem::too_long);
  EXPECT_EQ(describe(PasswordProblem::too_short, rules), "the password is shorter than 12 characters");
  EXPECT_EQ(describe(PasswordProblem::too_long, rules), "the password is longer than 16 bytes");
}

TEST(PasswordPolicy, NoDescriptionQuotesThePassword) {
  const std::string password = "abcd\nsecret-part";
  const PasswordProblem problem = password_problem(password, "alice");
  ASSERT_EQ(problem, PasswordProblem::control_character);
  EXPECT_EQ(describe(problem).find("secret"), std::string::npos);
  for (auto each : {PasswordProblem::not_utf8, PasswordProblem::too_short, PasswordProblem::too_long,
                    PasswordProblem::control_character, PasswordProblem::same_as_name}) {
    EXPECT_FALSE(describe(each).empty());
  }
  EXPECT_TRUE(describe(PasswordProblem::none).empty());
}

}  // namespace
}  // namespace chat
