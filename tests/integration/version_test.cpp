// --version: one line naming the project version (CMake's project()) and the git commit the binary
// was built from, exit 0, without starting anything (no port, no data folder).
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <string>

#include "server_process.hpp"

namespace chat_it {
namespace {

struct Ran {
  std::string out;
  int status = -1;
};

Ran run(const std::string& command) {
  Ran ran;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return ran;
  char buffer[512];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) ran.out.append(buffer, got);
  ran.status = ::pclose(pipe);
  return ran;
}

TEST(Version, OneLineWithTheProjectVersionAndTheCommit) {
  const Ran version = run("'" + server_binary() + "' --version 2>&1");
  ASSERT_TRUE(WIFEXITED(version.status) && WEXITSTATUS(version.status) == 0) << version.out;
  const std::regex kLine(R"(chat_server ([0-9]+\.[0-9]+\.[0-9]+) \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\n)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(version.out, match, kLine)) << version.out;
  EXPECT_EQ(match[1].str(), CHAT_PROJECT_VERSION);

  // Built from this checkout: one of its commits (the binary may predate the last one); from a
  // tree outside git: "unknown".
  const Ran inside = run("git -C '" CHAT_SOURCE_DIR "' rev-parse --git-dir >/dev/null 2>&1");
  const bool in_git = WIFEXITED(inside.status) && WEXITSTATUS(inside.status) == 0;
  if (!in_git) {
    EXPECT_EQ(match[2].str(), "unknown");
    return;
  }
  const std::string commit = match[2].str().substr(0, 12);
  const Ran ancestor = run("git -C '" CHAT_SOURCE_DIR "' merge-base --is-ancestor " + commit + " HEAD 2>&1");
  EXPECT_TRUE(WIFEXITED(ancestor.status) && WEXITSTATUS(ancestor.status) == 0)
      << commit << " is not a commit of this checkout: " << ancestor.out;
}

}  // namespace
}  // namespace chat_it
