// See password_check.hpp. The numbers and sentences are the server's (docs/PROTOCOL.md, "Accounts").
#include "app/password_check.hpp"

#include "shared/utf8.hpp"

namespace chat::client {
namespace {

constexpr std::size_t kMinCodePoints = 8;
constexpr std::size_t kMaxBytes = 1024;

bool has_control(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = utf8::decode_next(text, pos);
    if (!c || *c < 0x20 || (*c >= 0x7f && *c <= 0x9f)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> new_password_problem(std::string_view password, std::string_view name) {
  if (password.size() > kMaxBytes) return "the password is longer than " + std::to_string(kMaxBytes) + " bytes";
  const auto code_points = utf8::count_code_points(password);
  if (!code_points) return std::string("the password is not valid UTF-8");
  if (*code_points < kMinCodePoints) {
    return "the password is shorter than " + std::to_string(kMinCodePoints) + " characters";
  }
  if (has_control(password)) return std::string("the password contains a control character (a line break, a tab, ...)");
  if (password == name) return std::string("the password is the name itself");
  return std::nullopt;
}

std::optional<std::string> sign_in_password_problem(std::string_view password) {
  if (password.empty()) return std::string("enter the account's password");
  return std::nullopt;
}

}  // namespace chat::client
