// Flag splitting shared by the load generator and the soak.
#include "tests/loadkit/flags.hpp"

#include <cstdlib>

namespace loadkit {

bool split_flags(int argc, char** argv, const char* usage, FlagList& flags, std::string& message) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") return message = usage, false;
    const std::size_t eq = name.find('=');
    if (eq != std::string::npos) {
      flags.emplace_back(name.substr(0, eq), name.substr(eq + 1));
    } else if (i + 1 < argc) {
      flags.emplace_back(name, argv[++i]);
    } else {
      return message = name + " needs a value\n" + usage, false;
    }
  }
  return true;
}

bool to_number(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end && *end == '\0' && value >= 0;
}

}  // namespace loadkit
