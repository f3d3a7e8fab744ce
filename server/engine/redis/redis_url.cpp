// parse_redis_url: the accepted form is deliberately narrow (no user, password, query or TLS
// yet), and each refusal says which part is wrong, because the operator reads it at start-up.
#include "server/engine/redis/redis_url.hpp"

#include <cctype>

namespace chat::redis {
namespace {

constexpr std::string_view kScheme = "redis://";
constexpr std::size_t kMaxHostBytes = 253;  // the longest DNS name

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A decimal number no bigger than max; nullopt on anything else (sign, spaces, overflow).
std::optional<long> small_number(std::string_view text, long max) {
  if (!all_digits(text) || text.size() > 6) return std::nullopt;
  long value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  if (value > max) return std::nullopt;
  return value;
}

bool host_char_ok(char c, bool ipv6) {
  if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') return true;
  return ipv6 && c == ':';
}

RedisUrlParse refuse(std::string reason) { return RedisUrlParse{std::nullopt, std::move(reason)}; }

}  // namespace

RedisUrlParse parse_redis_url(std::string_view text) {
  const std::string quoted = "\"" + std::string(text.substr(0, 200)) + "\"";
  if (text.substr(0, kScheme.size()) != kScheme) {
    return refuse("Redis URL " + quoted + " must start with redis:// (redis://HOST:PORT[/DB])");
  }
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("@?#") != std::string_view::npos) {
    return refuse("Redis URL " + quoted + ": user, password, query and fragment are not supported");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  RedisUrl url;
  std::string_view host;
  std::string_view port_text;
  bool ipv6 = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return refuse("Redis URL " + quoted + ": '[' without ']'");
    host = authority.substr(1, close - 1);
    ipv6 = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return refuse("Redis URL " + quoted + ": expected ':' after ']'");
      port_text = after.substr(1);
      if (port_text.empty()) return refuse("Redis URL " + quoted + ": empty port");
    }
  } else {
    const std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return refuse("Redis URL " + quoted + ": empty port");
    }
  }
  if (host.empty()) return refuse("Redis URL " + quoted + ": no host");
  if (host.size() > kMaxHostBytes) return refuse("Redis URL " + quoted + ": host name too long");
  for (char c : host) {
    if (!host_char_ok(c, ipv6)) return refuse("Redis URL " + quoted + ": bad character in host");
  }
  url.host = std::string(host);
  if (!port_text.empty()) {
    const auto port = small_number(port_text, 65535);
    if (!port || *port == 0) return refuse("Redis URL " + quoted + ": port must be 1..65535");
    url.port = static_cast<std::uint16_t>(*port);
  }
  if (slash != std::string_view::npos) {
    std::string_view db_text = rest.substr(slash + 1);
    if (!db_text.empty()) {  // "redis://h:1/" means database 0, as redis-cli reads it
      const auto db = small_number(db_text, kMaxRedisDb);
      if (!db) {
        return refuse("Redis URL " + quoted + ": database must be a number 0.." + std::to_string(kMaxRedisDb));
      }
      url.db = static_cast<int>(*db);
    }
  }
  return RedisUrlParse{std::move(url), {}};
}

std::string to_string(const RedisUrl& url) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  return "redis://" + (ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port) + "/" +
         std::to_string(url.db);
}

}  // namespace chat::redis
