// RedisUrl: where a cluster's Redis is, parsed from "redis://HOST:PORT[/DB]". Pure: no I/O, no
// name lookup (the connection resolves HOST when it connects).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::redis {

struct RedisUrl {
  std::string host;       // a name, an IPv4 address, or an IPv6 address without its brackets
  std::uint16_t port = 6379;
  int db = 0;             // SELECTed on every (re)connect
};

// Either a url, or a one-line reason naming what is wrong (for the operator's error message).
struct RedisUrlParse {
  std::optional<RedisUrl> url;
  std::string error;
};

constexpr int kMaxRedisDb = 1023;  // Redis's `databases` is 16 by default; a bigger index is a typo

RedisUrlParse parse_redis_url(std::string_view text);
std::string to_string(const RedisUrl& url);  // "redis://HOST:PORT/DB", brackets around IPv6

}  // namespace chat::redis
