// What a new password must be (register, change_password): long enough to resist guessing, short
// enough to bound the hasher's input and the frame, text a person can type, not the name itself.
// Checked before hashing; a login never checks it (an old password keeps working if rules grow).
// No list of common passwords yet (docs/ACCOUNTS.md, open points).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

struct PasswordRules {
  std::size_t min_code_points = 8;  // characters as a person counts them, roughly; not bytes
  std::size_t max_bytes = 1024;     // UTF-8 bytes: what the hasher and the frame carry
};

enum class PasswordProblem {
  none,
  not_utf8,
  too_short,
  too_long,
  control_character,  // C0, DEL or C1: a paste gone wrong, or a line break no field can type
  same_as_name,       // the name under the name rules' identity key ("Alice" = "ALICE" = "ａｌｉｃｅ")
};

PasswordProblem password_problem(std::string_view password, std::string_view name, const PasswordRules& rules = {});

// The sentence for the refusal's detail. It never quotes the password.
std::string describe(PasswordProblem problem, const PasswordRules& rules = {});

}  // namespace chat
