// What the client can tell of a password before sending it, so that a person hears of an obvious
// mistake at once and the server's hasher is not asked for nothing. The server decides: it applies
// the whole policy (server/accounts/password_policy.hpp), e.g. "not the name" under the name
// rules' identity key, which needs ICU; here only the exact name is caught.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chat::client {

// A new password (create account): the server's rules, in its words.
std::optional<std::string> new_password_problem(std::string_view password, std::string_view name);
// Signing in: only that there is one (an old password keeps working if the rules grow).
std::optional<std::string> sign_in_password_problem(std::string_view password);

}  // namespace chat::client
