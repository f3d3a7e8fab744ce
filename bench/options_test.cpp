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

TEST(Options, ScaleFlagsDefaultToOneProcessOneAddress) {
  Options options;
  std::string message;
  ASSERT_TRUE(parse({"--scenario", "c", "--port", "8080"}, options, message)) << message;
  EXPECT_EQ(options.source_addresses, 1);
  EXPECT_EQ(options.first_client, 0);
  EXPECT_TRUE(options.create_rooms);
  EXPECT_EQ(options.protocol_version, 1);
  EXPECT_EQ(options.prefill_lines, 0);
  EXPECT_FALSE(holds_only(options.spec));
}

TEST(Options, ASecondProcessOfAHoldRunJoinsRoomsItDoesNotCreate) {
  Options options;
  std::string message;
  ASSERT_TRUE(parse({"--scenario", "c", "--clients", "18000", "--senders", "0", "--first-client", "18000",
                     "--create-rooms", "0", "--source-addresses", "6", "--url", "ws://127.0.0.1:8081/ws"},
                    options, message))
      << message;
  EXPECT_TRUE(holds_only(options.spec));
  EXPECT_EQ(options.first_client, 18000);
  EXPECT_FALSE(options.create_rooms);
  EXPECT_EQ(options.source_addresses, 6);
}

TEST(Options, SharingARunNeedsHoldMode) {
  Options options;
  std::string message;
  EXPECT_FALSE(parse({"--scenario", "c", "--port", "8080", "--first-client", "100"}, options, message));
  EXPECT_NE(message.find("hold mode"), std::string::npos) << message;
  Options other;
  EXPECT_FALSE(parse({"--scenario", "c", "--port", "8080", "--create-rooms", "0"}, other, message));
}

TEST(Options, SourceAddressesStayOn127_0_0_x) {
  Options options;
  std::string message;
  EXPECT_FALSE(parse({"--port", "8080", "--source-addresses", "0"}, options, message));
  EXPECT_FALSE(parse({"--port", "8080", "--source-addresses", "255"}, options, message));
  EXPECT_TRUE(parse({"--port", "8080", "--source-addresses", "254"}, options, message)) << message;
}

TEST(Options, PrefillNeedsTheCreatorAndVersionIsOneOrTwo) {
  Options options;
  std::string message;
  EXPECT_TRUE(parse({"--port", "8080", "--prefill", "1000", "--protocol-version", "2"}, options, message)) << message;
  EXPECT_EQ(options.prefill_lines, 1000);
  EXPECT_EQ(options.protocol_version, 2);
  Options no_creator;
  EXPECT_FALSE(parse({"--port", "8080", "--senders", "0", "--prefill", "10", "--create-rooms", "0"}, no_creator, message));
  Options version3;
  EXPECT_FALSE(parse({"--port", "8080", "--protocol-version", "3"}, version3, message));
}

}  // namespace
}  // namespace bench
