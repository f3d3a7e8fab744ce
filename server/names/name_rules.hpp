// The server's full rules for accepting a nickname or room name: the shared ones (length,
// controls, bidirectional and invisible characters; shared/validate.hpp, also run by the browser)
// and those that need Unicode data from ICU (which characters, which mixes of scripts). Whether a
// name is free is not decided here (name_index.hpp).
#pragma once

#include <optional>
#include <string_view>

#include "shared/error.hpp"
#include "shared/limits.hpp"

namespace chat {

// nullopt when acceptable, else the refusal (invalid_name / invalid_room) saying why.
std::optional<Error> check_name(std::string_view name, const Limits& limits);
std::optional<Error> check_room(std::string_view room, const Limits& limits);

}  // namespace chat
