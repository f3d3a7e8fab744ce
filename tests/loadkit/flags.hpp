// Command-line flags as chat_bench and chat_soak take them: "--name value" or "--name=value".
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace loadkit {

// The flags in the order given.
using FlagList = std::vector<std::pair<std::string, std::string>>;
// False for --help (`message` is then `usage`) and for a flag without its value.
bool split_flags(int argc, char** argv, const char* usage, FlagList& flags, std::string& message);
// A non-negative decimal number, the whole text.
bool to_number(const std::string& text, double& value);

}  // namespace loadkit
