// The config tests' way to parse: command-line arguments and an environment given as a map.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/config.hpp"

namespace chat {

inline CommandLine parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_command_line(args, [env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

}  // namespace chat
