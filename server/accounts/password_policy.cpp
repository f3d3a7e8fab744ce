#include "server/accounts/password_policy.hpp"

#include "server/names/name_keys.hpp"
#include "shared/utf8.hpp"

namespace chat {
namespace {

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

bool has_control(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = utf8::decode_next(text, pos);
    if (!c || is_control(*c)) return true;
  }
  return false;
}

}  // namespace

PasswordProblem password_problem(std::string_view password, std::string_view name, const PasswordRules& rules) {
  // The byte bound first: nothing longer is even decoded.
  if (password.size() > rules.max_bytes) return PasswordProblem::too_long;
  const auto code_points = utf8::count_code_points(password);
  if (!code_points) return PasswordProblem::not_utf8;
  if (*code_points < rules.min_code_points) return PasswordProblem::too_short;
  if (has_control(password)) return PasswordProblem::control_character;
  if (name_keys(password).identity == name_keys(name).identity) return PasswordProblem::same_as_name;
  return PasswordProblem::none;
}

std::string describe(PasswordProblem problem, const PasswordRules& rules) {
  switch (problem) {
    case PasswordProblem::none: return "";
    case PasswordProblem::not_utf8: return "the password is not valid UTF-8";
    case PasswordProblem::too_short:
      return "the password is shorter than " + std::to_string(rules.min_code_points) + " characters";
    case PasswordProblem::too_long: return "the password is longer than " + std::to_string(rules.max_bytes) + " bytes";
    case PasswordProblem::control_character: return "the password contains a control character (a line break, a tab, ...)";
    case PasswordProblem::same_as_name: return "the password is the name itself";
  }
  return "";
}

}  // namespace chat
