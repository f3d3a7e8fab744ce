// parse_redis_url: the accepted forms, and a clear one-line refusal for each bad one.
#include <gtest/gtest.h>

#include "server/engine/redis/redis_url.hpp"

namespace chat::redis {
namespace {

RedisUrl must_parse(const std::string& text) {
  const auto parsed = parse_redis_url(text);
  EXPECT_TRUE(parsed.url.has_value()) << text << ": " << parsed.error;
  return parsed.url.value_or(RedisUrl{});
}

TEST(RedisUrl, HostPortAndDatabase) {
  const auto url = must_parse("redis://127.0.0.1:6380/3");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 6380);
  EXPECT_EQ(url.db, 3);
  EXPECT_EQ(to_string(url), "redis://127.0.0.1:6380/3");
}

TEST(RedisUrl, DefaultsArePort6379AndDatabase0) {
  const auto url = must_parse("redis://redis.internal");
  EXPECT_EQ(url.host, "redis.internal");
  EXPECT_EQ(url.port, 6379);
  EXPECT_EQ(url.db, 0);
  EXPECT_EQ(must_parse("redis://h:7000/").db, 0);
}

TEST(RedisUrl, Ipv6InBrackets) {
  const auto url = must_parse("redis://[::1]:7000/2");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 7000);
  EXPECT_EQ(url.db, 2);
  EXPECT_EQ(to_string(url), "redis://[::1]:7000/2");
  EXPECT_EQ(must_parse("redis://[::1]").port, 6379);
}

TEST(RedisUrl, BadUrlsAreRefusedWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://h:6379", "must start with redis://"},
      {"rediss://h:6379", "must start with redis://"},
      {"", "must start with redis://"},
      {"redis://", "no host"},
      {"redis://:6379", "no host"},
      {"redis://h:", "empty port"},
      {"redis://h:0", "port must be 1..65535"},
      {"redis://h:65536", "port must be 1..65535"},
      {"redis://h:12ab", "port must be 1..65535"},
      {"redis://h:-1", "port must be 1..65535"},
      {"redis://h:6379/x", "database must be a number"},
      {"redis://h:6379/-1", "database must be a number"},
      {"redis://h:6379/1024", "database must be a number"},
      {"redis://h:6379/1/2", "database must be a number"},
      {"redis://user:pw@h:6379", "not supported"},
      {"redis://h:6379?db=1", "not supported"},
      {"redis://[::1:6379", "'[' without ']'"},
      {"redis://[::1]6379", "expected ':' after ']'"},
      {"redis://h h:6379", "bad character in host"},
      {"redis://h:6379 ", "port must be 1..65535"},
  };
  for (const auto& [text, reason] : cases) {
    const auto parsed = parse_redis_url(text);
    EXPECT_FALSE(parsed.url.has_value()) << text;
    EXPECT_NE(parsed.error.find(reason), std::string::npos) << text << " -> " << parsed.error;
    EXPECT_NE(parsed.error.find("\"" + text + "\""), std::string::npos) << "names the URL: " << parsed.error;
  }
}

TEST(RedisUrl, AVeryLongUrlIsQuotedShort) {
  const std::string text = "redis://" + std::string(5000, 'a');
  const auto parsed = parse_redis_url(text);
  ASSERT_FALSE(parsed.url.has_value());
  EXPECT_LT(parsed.error.size(), 400u);
}

}  // namespace
}  // namespace chat::redis
