// `chat_server backup --data-dir DIR --to FILE`: the online backup's command line. The copy
// itself is store/backup's.
#pragma once

#include <string>
#include <vector>

#include "server/config.hpp"

namespace chat {

// args: what follows "backup". Returns the process's exit code (0 done, 1 failed, 2 bad usage).
int run_backup_command(const std::vector<std::string>& args, const EnvironmentLookup& env);

}  // namespace chat
