// What --version prints: the project's version (CMake's project()) and the git commit it was built
// from ("unknown" outside a git checkout, "-dirty" when built from uncommitted changes).
#pragma once

#include <string>

namespace chat {

std::string version_line();  // "chat_server 0.3.0 (commit 1a2b3c4d5e6f)", no newline

}  // namespace chat
