// The rules for nicknames, room names and chat text, shared by the server (which enforces them)
// and the browser client (which refuses early what the server would refuse).
#pragma once

#include <optional>
#include <string_view>

#include "error.hpp"
#include "limits.hpp"

namespace chat {

// Each returns nullopt when the value is acceptable, else the refusal to send back.
std::optional<Error> validate_name(std::string_view name, const Limits& limits);
std::optional<Error> validate_room(std::string_view room, const Limits& limits);
std::optional<Error> validate_text(std::string_view text, const Limits& limits);

}  // namespace chat
