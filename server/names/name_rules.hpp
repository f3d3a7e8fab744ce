// The server's full rules for accepting a nickname or room name: the shared ones (length,
// controls, bidirectional and invisible characters; shared/validate.hpp, also run by the browser)
// and those that need Unicode data from ICU (which characters, which mixes of scripts). Whether a
// name is free is not decided here (name_index.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/error.hpp"
#include "shared/limits.hpp"

namespace chat {

// nullopt when acceptable, else the refusal (invalid_name / invalid_room) saying why.
std::optional<Error> check_name(std::string_view name, const Limits& limits);
std::optional<Error> check_room(std::string_view room, const Limits& limits);

// The rules that need ICU alone (after the shared ones): nullopt, or why the name is refused.
// unicode_problem takes a shortcut for names of printable ASCII; unicode_problem_by_icu is the
// reference it must agree with (the tests compare them).
std::optional<std::string> unicode_problem(std::string_view name);
std::optional<std::string> unicode_problem_by_icu(std::string_view name);

}  // namespace chat
