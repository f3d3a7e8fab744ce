// chat_bench's command line: several --url for a cluster, in the order given.
#include <gtest/gtest.h>

#include <vector>

#include "bench/options.hpp"

namespace bench {
namespace {

bool parse(std::vector<const char*> args, Options& options, std::string& message) {
  args.insert(args.begin(), "chat_bench");
  return parse_options(static_cast<int>(args.size()), const_cast<char**>(args.data()), options, message);
}

TEST(Options, UrlGivenOncePerNodeReplacesThePort) {
  Options options;
  std::string message;
  ASSERT_TRUE(parse({"--scenario", "b", "--url", "ws://127.0.0.1:8081/ws", "--url=ws://127.0.0.1:8082/ws"}, options,
                    message))
      << message;
  EXPECT_EQ(options.urls, (std::vector<std::string>{"ws://127.0.0.1:8081/ws", "ws://127.0.0.1:8082/ws"}));
  EXPECT_EQ(options.spec.clients, 1000);
}

TEST(Options, LoadNeedsAPortOrAUrl) {
  Options options;
  std::string message;
  EXPECT_FALSE(parse({"--scenario", "d"}, options, message));
  EXPECT_NE(message.find("--url"), std::string::npos) << message;
}

}  // namespace
}  // namespace bench
