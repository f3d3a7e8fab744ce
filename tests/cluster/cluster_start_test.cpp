// A node that has printed "listening on" (and told systemd READY) is a full member at once: its
// first v2 login gets a saved token and its first line is stored, with no window in which it
// refuses because its own links to Redis are still coming up. Restarted nodes behind a load
// balancer get traffic the moment they listen.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

// Runs the server to its end (bounded by coreutils' timeout), stdout and stderr together.
struct ServerRun {
  int code = -1;
  std::string output;
};
ServerRun run_server(const std::string& flags) {
  std::string folder = (std::filesystem::temp_directory_path() / "chat-start-XXXXXX").string();
  if (::mkdtemp(folder.data()) == nullptr) return {};
  const std::string command = "timeout 60 " + server_binary() + " --host 127.0.0.1 --port 0 --web-root " + folder +
                              " --data-dir " + folder + " " + flags + " 2>&1";
  ServerRun result;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, got);
    const int status = ::pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  return result;
}

// Redis not reachable at start: one error line that names the URL, a non-zero exit, no listening.
TEST(ClusterStartup, RedisUnreachableAtStartIsOneErrorLineNamingTheUrl) {
  std::string url;
  {
    chat_redis_test::RedisProcess redis;  // a loopback port that nothing listens on once it stops
    url = redis.url();
  }
  const ServerRun result = run_server("--redis " + url);
  EXPECT_EQ(result.code, 1) << result.output;
  EXPECT_EQ(result.output.find("listening"), std::string::npos) << result.output;
  std::size_t error_lines = 0;
  std::string error_line;
  for (std::size_t start = 0, end; start < result.output.size(); start = end + 1) {
    end = result.output.find('\n', start);
    if (end == std::string::npos) end = result.output.size();
    const std::string line = result.output.substr(start, end - start);
    if (line.find(" error ") != std::string::npos) {
      ++error_lines;
      error_line = line;
    }
  }
  EXPECT_EQ(error_lines, 1u) << result.output;
  EXPECT_NE(error_line.find(url), std::string::npos) << result.output;
}

using ClusterStartTest = ClusterTest;

TEST_F(ClusterStartTest, ANodeThatSaysListeningServesItsFirstRequestsAtOnce) {
  constexpr int kRestarts = 9;  // the window is short: several tries make it show
  for (int round = 0; round < kRestarts; ++round) {
    const int index = round % kNodes;
    SCOPED_TRACE("restart " + std::to_string(round) + " of node " + std::to_string(index));
    ASSERT_EQ(node(index).stop(), 0);
    restart_node(index);
    auto first = connect_v2(index, "first" + std::to_string(round));  // no "resume token not saved"
    const std::string text = unique_text("first line");
    const auto outcome = send_line(*first, "general", text, kReplyTimeout);
    ASSERT_TRUE(outcome.stored) << "refused: " << preview(first->last_raw());
    first->close(1000);
  }
}

}  // namespace
}  // namespace chat_it
