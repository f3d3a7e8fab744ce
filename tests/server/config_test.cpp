// Command-line and environment parsing of the server's settings.
#include "server/config.hpp"
#include "parse_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace chat {
namespace {

TEST(Config, DefaultsServeLoopbackOn8080) {
  const auto result = parse({});
  EXPECT_TRUE(result.error.empty());
  EXPECT_EQ(result.config.host, "127.0.0.1");
  EXPECT_EQ(result.config.port, 8080);
  EXPECT_FALSE(result.show_help);
}

TEST(Config, FlagsInBothForms) {
  const auto result = parse({"--host", "0.0.0.0", "--port=9000", "--web-root", "/srv/web",
                             "--data-dir=/var/chat", "--log-level", "debug"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.host, "0.0.0.0");
  EXPECT_EQ(result.config.port, 9000);
  EXPECT_EQ(result.config.web_root, "/srv/web");
  EXPECT_EQ(result.config.data_dir, "/var/chat");
  EXPECT_EQ(result.config.log_level, LogLevel::debug);
}

TEST(Config, EnvironmentGivesDefaultsFlagsOverride) {
  const auto result = parse({"--port", "7000"}, {{"CHAT_PORT", "6000"}, {"CHAT_HOST", "::1"}});
  ASSERT_TRUE(result.error.empty());
  EXPECT_EQ(result.config.port, 7000);
  EXPECT_EQ(result.config.host, "::1");
}

TEST(Config, RefusesBadValuesAndUnknownFlags) {
  EXPECT_NE(parse({"--port", "http"}).error, "");
  EXPECT_NE(parse({"--port", "70000"}).error, "");
  EXPECT_NE(parse({"--port", "-1"}).error, "");
  EXPECT_NE(parse({"--port"}).error, "");
  EXPECT_NE(parse({"--log-level", "loud"}).error, "");
  EXPECT_NE(parse({"--colour"}).error, "");
  EXPECT_NE(parse({}, {{"CHAT_PORT", "x"}}).error, "");
}

// Every room is named in the list a newcomer gets: past 2 000 it could outgrow the frame limit.
TEST(Config, RoomCapIsBoundedByWhatTheRoomListCanHold) {
  EXPECT_EQ(parse({}).config.max_rooms, 1000u);
  EXPECT_EQ(parse({"--max-rooms", "2000"}).config.max_rooms, 2000u);
  EXPECT_EQ(parse({}, {{"CHAT_MAX_ROOMS", "5"}}).config.max_rooms, 5u);
  EXPECT_NE(parse({"--max-rooms", "2001"}).error, "");
  EXPECT_NE(parse({"--max-rooms", "0"}).error, "");
  EXPECT_EQ(parse({}).config.new_rooms_per_address_hour, 10u);
  EXPECT_EQ(parse({"--new-rooms-per-address", "0"}).config.new_rooms_per_address_hour, 0u);
  EXPECT_EQ(parse({}, {{"CHAT_NEW_ROOMS_PER_ADDRESS", "3"}}).config.new_rooms_per_address_hour, 3u);
  EXPECT_EQ(parse({}).config.max_accounts, 100'000u);
  EXPECT_EQ(parse({"--max-accounts", "7"}).config.max_accounts, 7u);
  EXPECT_EQ(parse({}, {{"CHAT_MAX_ACCOUNTS", "5"}}).config.max_accounts, 5u);
  EXPECT_EQ(parse({}).config.new_accounts_per_address_hour, 60u);
  EXPECT_EQ(parse({"--new-accounts-per-address", "0"}).config.new_accounts_per_address_hour, 0u);
  EXPECT_EQ(parse({}, {{"CHAT_NEW_ACCOUNTS_PER_ADDRESS", "3"}}).config.new_accounts_per_address_hour, 3u);
  EXPECT_EQ(parse({}).config.max_room_members, 1000u);
  EXPECT_EQ(parse({"--max-room-members", "2000"}).config.max_room_members, 2000u);
  EXPECT_EQ(parse({}, {{"CHAT_MAX_ROOM_MEMBERS", "5"}}).config.max_room_members, 5u);
  EXPECT_NE(parse({"--max-room-members", "2001"}).error, "");
  EXPECT_NE(parse({"--max-room-members", "0"}).error, "");  // the owner is a member
  EXPECT_EQ(parse({}).config.max_conversations, 100'000u);
  EXPECT_EQ(parse({"--max-conversations", "7"}).config.max_conversations, 7u);
  EXPECT_EQ(parse({}, {{"CHAT_MAX_CONVERSATIONS", "5"}}).config.max_conversations, 5u);
  EXPECT_NE(parse({"--max-conversations", "many"}).error, "");
  EXPECT_EQ(parse({}).config.new_conversations_per_hour, 60u);
  EXPECT_EQ(parse({"--new-conversations-per-hour", "0"}).config.new_conversations_per_hour, 0u);
  EXPECT_EQ(parse({}, {{"CHAT_NEW_CONVERSATIONS_PER_HOUR", "3"}}).config.new_conversations_per_hour, 3u);
}

TEST(Config, TypingInterval) {
  EXPECT_EQ(parse({}).config.typing_interval_ms, 3000);
  EXPECT_EQ(parse({"--typing-interval-ms", "0"}).config.typing_interval_ms, 0);  // no spacing: tests
  EXPECT_EQ(parse({"--typing-interval-ms=250"}).config.typing_interval_ms, 250);
  EXPECT_EQ(parse({}, {{"CHAT_TYPING_INTERVAL_MS", "1500"}}).config.typing_interval_ms, 1500);
  EXPECT_EQ(parse({"--typing-interval-ms", "900"}, {{"CHAT_TYPING_INTERVAL_MS", "1500"}}).config.typing_interval_ms, 900);
  EXPECT_NE(parse({"--typing-interval-ms", "3s"}).error, "");
  EXPECT_NE(parse({"--typing-interval-ms", "60001"}).error, "");
  EXPECT_NE(usage().find("--typing-interval-ms"), std::string::npos);
}

TEST(Config, ConnectionCaps) {
  EXPECT_EQ(parse({}).config.max_connections, 10000u);
  EXPECT_EQ(parse({}).config.max_connections_per_address, 500u);
  const auto result = parse({"--max-connections", "0", "--max-connections-per-address=2"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.max_connections, 0u);
  EXPECT_EQ(result.config.max_connections_per_address, 2u);
  EXPECT_NE(parse({"--max-connections", "-5"}).error, "");
  EXPECT_NE(parse({"--max-connections-per-address", "many"}).error, "");
}

TEST(Config, ResumeTokenExpiryAndPerAddressCap) {
  EXPECT_EQ(parse({}).config.token_ttl_ms, 30LL * 24 * 3600 * 1000);
  EXPECT_EQ(parse({}).config.new_tokens_per_address_hour, 500u);
  const auto result = parse({"--token-ttl", "5", "--new-tokens-per-address=0"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.token_ttl_ms, 5000);
  EXPECT_EQ(result.config.new_tokens_per_address_hour, 0u);
  EXPECT_EQ(parse({}, {{"CHAT_TOKEN_TTL", "0"}}).config.token_ttl_ms, 0);
  EXPECT_EQ(parse({}, {{"CHAT_NEW_TOKENS_PER_ADDRESS", "7"}}).config.new_tokens_per_address_hour, 7u);
  EXPECT_NE(parse({"--token-ttl", "30d"}).error, "");
  EXPECT_NE(parse({"--token-ttl", "99999999999999"}).error, "");
  EXPECT_NE(parse({"--new-tokens-per-address", "-1"}).error, "");
}

TEST(Config, NoLimitsIsASwitch) {
  EXPECT_FALSE(parse({}).config.no_limits);
  const auto result = parse({"--no-limits", "--port", "9"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_TRUE(result.config.no_limits);
  EXPECT_EQ(result.config.port, 9);
  EXPECT_TRUE(parse({}, {{"CHAT_NO_LIMITS", "1"}}).config.no_limits);
  EXPECT_NE(parse({"--no-limits=maybe"}).error, "");
}

TEST(Config, HelpListsEveryFlag) {
  EXPECT_TRUE(parse({"--help"}).show_help);
  EXPECT_TRUE(parse({"-h"}).show_help);
  const std::string text = usage();
  for (const char* flag : {"--host", "--port", "--web-root", "--data-dir", "--log-level", "--tls-cert", "--tls-key",
                           "--allowed-origins", "--trusted-proxy", "--server-names", "--help"}) {
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
  }
}

TEST(Config, VersionIsASwitchListedInHelp) {
  EXPECT_FALSE(parse({}).show_version);
  EXPECT_TRUE(parse({"--version"}).show_version);
  EXPECT_NE(usage().find("--version"), std::string::npos);
}

TEST(Config, LogFormatIsTextUnlessJsonIsAsked) {
  EXPECT_EQ(parse({}).config.log_format, LogFormat::text);
  EXPECT_EQ(parse({"--log-format", "json"}).config.log_format, LogFormat::json);
  EXPECT_EQ(parse({}, {{"CHAT_LOG_FORMAT", "json"}}).config.log_format, LogFormat::json);
  EXPECT_EQ(parse({"--log-format=text"}, {{"CHAT_LOG_FORMAT", "json"}}).config.log_format, LogFormat::text);
  EXPECT_EQ(parse({"--log-format", "JSON"}).error, "--log-format wants text or json, not 'JSON'");
  EXPECT_NE(usage().find("--log-format FORMAT"), std::string::npos);
}

TEST(Config, TlsIsOffAndOriginsAndProxiesEmptyByDefault) {
  const auto config = parse({}).config;
  EXPECT_EQ(config.tls_cert_file, "");
  EXPECT_EQ(config.tls_key_file, "");
  EXPECT_TRUE(config.allowed_origins.empty());
  EXPECT_TRUE(config.trusted_proxies.empty());
}

TEST(Config, TlsWantsBothFilesOrNeither) {
  const auto both = parse({"--tls-cert", "/etc/chat/cert.pem", "--tls-key=/etc/chat/key.pem"});
  ASSERT_TRUE(both.error.empty()) << both.error;
  EXPECT_EQ(both.config.tls_cert_file, "/etc/chat/cert.pem");
  EXPECT_EQ(both.config.tls_key_file, "/etc/chat/key.pem");
  EXPECT_NE(parse({"--tls-cert", "cert.pem"}).error.find("--tls-key"), std::string::npos);
  EXPECT_NE(parse({"--tls-key", "key.pem"}).error.find("--tls-cert"), std::string::npos);
  EXPECT_NE(parse({"--tls-key", "key.pem"}, {{"CHAT_TLS_CERT", ""}}).error, "");
  const auto from_env = parse({}, {{"CHAT_TLS_CERT", "c.pem"}, {"CHAT_TLS_KEY", "k.pem"}});
  ASSERT_TRUE(from_env.error.empty()) << from_env.error;
  EXPECT_EQ(from_env.config.tls_key_file, "k.pem");
}

TEST(Config, AllowedOriginsAreACommaSeparatedListOfOrigins) {
  const auto result = parse({"--allowed-origins", "https://chat.example.org, http://localhost:8080/,,"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.allowed_origins,
            (std::vector<std::string>{"https://chat.example.org", "http://localhost:8080"}));
  EXPECT_NE(parse({"--allowed-origins", "chat.example.org"}).error, "");
  EXPECT_NE(parse({"--allowed-origins", "*"}).error, "");
  EXPECT_NE(parse({"--allowed-origins", "https://a/path"}).error, "");
  EXPECT_NE(parse({}, {{"CHAT_ALLOWED_ORIGINS", "ftp://a"}}).error, "");
}

TEST(Config, TrustedProxiesAreIpAddresses) {
  const auto result = parse({"--trusted-proxy=127.0.0.1,::1"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(parse({}, {{"CHAT_TRUSTED_PROXY", "10.0.0.2"}}).config.trusted_proxies,
            (std::vector<std::string>{"10.0.0.2"}));
  EXPECT_NE(parse({"--trusted-proxy", "localhost"}).error, "");
  EXPECT_NE(parse({"--trusted-proxy", "10.0.0.0/8"}).error, "");
}

TEST(Config, HostIsAnIpAddress) {
  for (const char* host : {"127.0.0.1", "0.0.0.0", "::", "::1", "192.0.2.7"}) {
    const auto result = parse({"--host", host});
    EXPECT_TRUE(result.error.empty()) << host << ": " << result.error;
    EXPECT_EQ(result.config.host, host);
  }
  for (const char* host : {"localhost", "eth0", "[::1]", "", "127.0.0.1:80"}) {
    EXPECT_NE(parse({"--host", host}).error, "") << host;
  }
}

TEST(Config, ServerNamesAreAListOfHostNames) {
  EXPECT_TRUE(parse({}).config.server_names.empty());
  const auto result = parse({"--server-names", "chat.example.org, Chat.Example.net"});
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.config.server_names, (std::vector<std::string>{"chat.example.org", "Chat.Example.net"}));
  EXPECT_EQ(parse({}, {{"CHAT_SERVER_NAMES", "*"}}).config.server_names, (std::vector<std::string>{"*"}));
  EXPECT_NE(parse({"--server-names", "chat.example.org:443"}).error, "");
  EXPECT_NE(parse({"--server-names", "https://chat.example.org"}).error, "");
}

}  // namespace
}  // namespace chat
