// The only file that sees the build-time commit header, so a new commit recompiles just this one.
#include "server/version.hpp"

#include "chat_git_commit.hpp"  // generated in the build tree (toolchains/GitCommit.cmake)

namespace chat {

std::string version_line() { return std::string("chat_server ") + CHAT_VERSION + " (commit " + CHAT_GIT_COMMIT + ")"; }

}  // namespace chat
