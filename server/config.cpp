// Each flag is declared once in kFlags, which drives both parsing and --help, so the two cannot
// drift apart. Environment variables give defaults; flags override them.
// Over 300 lines: the table of every flag, kFlags, is a third of it.
#include "server/config.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "server/connection_policy.hpp"

namespace chat {
namespace {

using Setter = std::optional<std::string> (*)(ServerConfig&, const std::string&);

struct Flag {
  const char* name;
  const char* env;
  const char* value_name;
  const char* help;
  Setter set;
};

std::optional<std::string> set_port(ServerConfig& config, const std::string& value) {
  int port = -1;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
  if (ec != std::errc() || end != value.data() + value.size() || port < 0 || port > 65535) {
    return "--port wants a number from 0 to 65535, not '" + value + "'";
  }
  config.port = port;
  return std::nullopt;
}

std::optional<std::string> set_log_level(ServerConfig& config, const std::string& value) {
  const auto level = log_level_from_string(value);
  if (!level) return "--log-level wants error, warn, info or debug, not '" + value + "'";
  config.log_level = *level;
  return std::nullopt;
}

std::optional<std::string> set_log_format(ServerConfig& config, const std::string& value) {
  const auto format = log_format_from_string(value);
  if (!format) return "--log-format wants text or json, not '" + value + "'";
  config.log_format = *format;
  return std::nullopt;
}

// "a, b,,c" -> {"a", "b", "c"}
std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find(',', start), value.size());
    std::string item = value.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(std::move(item));
    start = end + 1;
  }
  return items;
}

std::optional<std::string> set_allowed_origins(ServerConfig& config, const std::string& value) {
  config.allowed_origins.clear();
  for (std::string origin : split_list(value)) {
    if (origin.size() > 1 && origin.back() == '/') origin.pop_back();  // as copied from an address bar
    if (!parse_origin(origin)) {
      return "--allowed-origins wants origins like https://chat.example.org or http://localhost:8080, not '" +
             origin + "'";
    }
    config.allowed_origins.push_back(origin);
  }
  return std::nullopt;
}

std::optional<std::string> set_trusted_proxies(ServerConfig& config, const std::string& value) {
  config.trusted_proxies.clear();
  for (const std::string& address : split_list(value)) {
    if (!canonical_ip(address)) {
      return "--trusted-proxy wants IP addresses like 127.0.0.1 or ::1, not '" + address + "'";
    }
    config.trusted_proxies.push_back(address);
  }
  return std::nullopt;
}

std::optional<std::string> set_host(ServerConfig& config, const std::string& value) {
  if (!canonical_ip(value) || value.front() == '[') {
    return "--host wants an IP address like 127.0.0.1 or ::1 (0.0.0.0 or :: for all), not '" + value + "'";
  }
  config.host = value;
  return std::nullopt;
}

// "127.0.0.1:9100" or "[::1]:9100": an IP literal (never a name, as --host) and a port.
std::optional<std::string> set_metrics_listen(ServerConfig& config, const std::string& value) {
  const std::string wanted = "--metrics-listen wants ADDRESS:PORT like 127.0.0.1:9100 or [::1]:9100, not '" + value + "'";
  const std::size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return wanted;
  std::string host = value.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return wanted;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return wanted;  // an IPv6 address needs its brackets, or its last group would read as the port
  }
  if (!canonical_ip(host)) return wanted;
  ServerConfig parsed;
  if (set_port(parsed, value.substr(colon + 1))) return wanted;
  config.metrics_host = host;
  config.metrics_port = parsed.port;
  return std::nullopt;
}

std::optional<std::string> set_server_names(ServerConfig& config, const std::string& value) {
  config.server_names.clear();
  for (const std::string& name : split_list(value)) {
    const bool plain = name == "*" || name.find_first_of(":/[]") == std::string::npos;
    if (!plain) return "--server-names wants host names without scheme or port (chat.example.org), not '" + name + "'";
    config.server_names.push_back(name);
  }
  return std::nullopt;
}

std::optional<std::string> check_tls_pair(const ServerConfig& config) {
  if (config.tls_cert_file.empty() == config.tls_key_file.empty()) return std::nullopt;
  return config.tls_cert_file.empty() ? "--tls-key needs --tls-cert too (the certificate chain, PEM)"
                                      : "--tls-cert needs --tls-key too (the private key, PEM)";
}

// A count flag: a whole number, 0 meaning "no cap".
std::optional<std::string> parse_count(const std::string& flag, const std::string& value, std::size_t& out) {
  std::size_t parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size()) {
    return flag + " wants a whole number (0 for no cap), not '" + value + "'";
  }
  out = parsed;
  return std::nullopt;
}

// Every room's name is in the `rooms` frame each newcomer gets: the cap keeps it under the
// clients' frame limit (kMaxRoomsLimit, see shared/limits.hpp).
std::optional<std::string> set_max_rooms(ServerConfig& config, const std::string& value) {
  std::size_t rooms = 0;
  if (auto error = parse_count("--max-rooms", value, rooms)) return error;
  if (rooms < 1 || rooms > kMaxRoomsLimit) {
    return "--max-rooms must be 1 to " + std::to_string(kMaxRoomsLimit) + " (the room list must fit in one frame)";
  }
  config.max_rooms = rooms;
  return std::nullopt;
}

// A private room's member list is one room_members frame: the same bound as the rooms list's.
std::optional<std::string> set_max_room_members(ServerConfig& config, const std::string& value) {
  std::size_t members = 0;
  if (auto error = parse_count("--max-room-members", value, members)) return error;
  if (members < 1 || members > kMaxRoomsLimit) {
    return "--max-room-members must be 1 to " + std::to_string(kMaxRoomsLimit) +
           " (the owner is one; the member list must fit in one frame)";
  }
  config.max_room_members = members;
  return std::nullopt;
}

std::optional<std::string> set_token_ttl(ServerConfig& config, const std::string& value) {
  std::size_t seconds = 0;
  if (auto error = parse_count("--token-ttl", value, seconds)) return "--token-ttl wants seconds (0: never), not '" + value + "'";
  if (seconds > 100ULL * 365 * 24 * 3600) return "--token-ttl: at most 100 years";
  config.token_ttl_ms = static_cast<std::int64_t>(seconds) * 1000;
  return std::nullopt;
}

// A duration flag in whole seconds, up to `max_seconds`.
std::optional<std::string> parse_seconds(const std::string& flag, const std::string& value, std::size_t max_seconds,
                                         std::int64_t& out_ms) {
  std::size_t seconds = 0;
  if (parse_count(flag, value, seconds) || seconds > max_seconds) {
    return flag + " wants whole seconds from 0 to " + std::to_string(max_seconds) + ", not '" + value + "'";
  }
  out_ms = static_cast<std::int64_t>(seconds) * 1000;
  return std::nullopt;
}

// A rate or burst: a number above 0 (fractions allowed: 0.5 per second is one every 2 s).
std::optional<std::string> parse_rate(const std::string& flag, const std::string& value, double& out) {
  double parsed = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size() || !(parsed > 0) || parsed > 1e9) {
    return flag + " wants a number above 0, not '" + value + "'";
  }
  out = parsed;
  return std::nullopt;
}

// The largest frame the server sends is under 256 KiB: the queue must hold a few of them.
constexpr std::size_t kMinQueuedBytes = 1024 * 1024;

std::optional<std::string> set_max_queued_bytes(ServerConfig& config, const std::string& value) {
  std::size_t bytes = 0;
  if (parse_count("--max-queued-bytes", value, bytes) || bytes < kMinQueuedBytes) {
    return "--max-queued-bytes wants a byte count of at least " + std::to_string(kMinQueuedBytes) + ", not '" + value + "'";
  }
  config.max_queued_bytes = bytes;
  return std::nullopt;
}

std::optional<std::string> set_no_limits(ServerConfig& config, const std::string& value) {
  if (value != "" && value != "1" && value != "true") return "--no-limits takes no value (CHAT_NO_LIMITS=1)";
  config.no_limits = true;
  return std::nullopt;
}

// A flag whose value_name is nullptr is a switch: it takes no value on the command line.
const std::array<Flag, 35> kFlags{{
    {"--host", "CHAT_HOST", "ADDRESS",
     "IP address to listen on, only that one (default 127.0.0.1; 0.0.0.0 for every IPv4 address, :: "
     "for every IPv6 and IPv4 one)",
     set_host},
    {"--port", "CHAT_PORT", "PORT", "TCP port for HTTP and WebSocket (default 8080; 0 picks a free one)",
     set_port},
    {"--web-root", "CHAT_WEB_ROOT", "DIR", "folder served over HTTP: the web client (default web)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.web_root = v; return std::nullopt; }},
    {"--data-dir", "CHAT_DATA_DIR", "DIR", "folder for stored data (default data)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.data_dir = v; return std::nullopt; }},
    {"--log-level", "CHAT_LOG_LEVEL", "LEVEL", "error, warn, info or debug (default info)", set_log_level},
    {"--log-format", "CHAT_LOG_FORMAT", "FORMAT",
     "text, or json: one JSON object per line for log collectors (default text)", set_log_format},
    {"--tls-cert", "CHAT_TLS_CERT", "FILE", "PEM certificate chain: serve https:// and wss:// (with --tls-key)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.tls_cert_file = v; return std::nullopt; }},
    {"--tls-key", "CHAT_TLS_KEY", "FILE", "PEM private key of --tls-cert",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.tls_key_file = v; return std::nullopt; }},
    {"--allowed-origins", "CHAT_ALLOWED_ORIGINS", "LIST",
     "other pages' origins that may connect, comma-separated (default: only the page's own)", set_allowed_origins},
    {"--trusted-proxy", "CHAT_TRUSTED_PROXY", "ADDRESSES",
     "proxy IPs whose X-Forwarded-For/-Proto are believed, comma-separated (default none)",
     set_trusted_proxies},
    {"--server-names", "CHAT_SERVER_NAMES", "NAMES",
     "host names the server is reached by, comma-separated; other Host headers get 421 (default: only "
     "localhost and IP addresses; * for any)",
     set_server_names},
    {"--metrics-listen", "CHAT_METRICS_LISTEN", "ADDRESS:PORT",
     "serve Prometheus metrics at http://ADDRESS:PORT/metrics, apart from the public port (default: off)",
     set_metrics_listen},
    {"--max-connections", "CHAT_MAX_CONNECTIONS", "N", "WebSocket connections at once (default 10000; 0: no cap)",
     [](ServerConfig& c, const std::string& v) { return parse_count("--max-connections", v, c.max_connections); }},
    {"--max-connections-per-address", "CHAT_MAX_CONNECTIONS_PER_ADDRESS", "N",
     "WebSocket connections from one client address (default 500; 0: no cap)",
     [](ServerConfig& c, const std::string& v) {
       return parse_count("--max-connections-per-address", v, c.max_connections_per_address);
     }},
    {"--max-rooms", "CHAT_MAX_ROOMS", "N", "rooms at most, general included (default 1000, at most 2000)",
     set_max_rooms},
    {"--new-rooms-per-address", "CHAT_NEW_ROOMS_PER_ADDRESS", "N",
     "rooms one client address may create per hour, all at once if it likes (default 10; 0: no cap)",
     [](ServerConfig& c, const std::string& v) {
       return parse_count("--new-rooms-per-address", v, c.new_rooms_per_address_hour);
     }},
    {"--max-accounts", "CHAT_MAX_ACCOUNTS", "N",
     "accounts at most; registrations beyond are refused too_many_accounts (default 100000)",
     [](ServerConfig& c, const std::string& v) { return parse_count("--max-accounts", v, c.max_accounts); }},
    {"--new-accounts-per-address", "CHAT_NEW_ACCOUNTS_PER_ADDRESS", "N",
     "accounts one client address may register per hour, all at once if it likes (default 60; 0: no cap)",
     [](ServerConfig& c, const std::string& v) {
       return parse_count("--new-accounts-per-address", v, c.new_accounts_per_address_hour);
     }},
    {"--max-room-members", "CHAT_MAX_ROOM_MEMBERS", "N",
     "members of one private room at most, its owner included; invitations beyond are refused "
     "too_many_members (default 1000, at most 2000)",
     set_max_room_members},
    {"--max-conversations", "CHAT_MAX_CONVERSATIONS", "N",
     "direct conversations at most (not counted in --max-rooms); new ones beyond are refused too_many_rooms "
     "(default 100000)",
     [](ServerConfig& c, const std::string& v) { return parse_count("--max-conversations", v, c.max_conversations); }},
    {"--new-conversations-per-hour", "CHAT_NEW_CONVERSATIONS_PER_HOUR", "N",
     "direct conversations one account may begin per hour, all at once if it likes (default 60; 0: no cap)",
     [](ServerConfig& c, const std::string& v) {
       return parse_count("--new-conversations-per-hour", v, c.new_conversations_per_hour);
     }},
    {"--token-ttl", "CHAT_TOKEN_TTL", "SECONDS",
     "a resume token not used (login or resume) for this long is deleted (default 2592000: 30 days; 0: never)",
     set_token_ttl},
    {"--new-tokens-per-address", "CHAT_NEW_TOKENS_PER_ADDRESS", "N",
     "new resume tokens (v2 logins) per client address per hour (default 500; 0: no cap)",
     [](ServerConfig& c, const std::string& v) {
       return parse_count("--new-tokens-per-address", v, c.new_tokens_per_address_hour);
     }},
    {"--redis", "CHAT_REDIS", "URL",
     "redis://HOST:PORT[/DB]: be one node of a cluster sharing that Redis (default: none, one node on SQLite)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.redis_url = v; return std::nullopt; }},
    {"--redis-prefix", "CHAT_REDIS_PREFIX", "PREFIX",
     "start of every Redis key of this chat, so several chats can share one Redis (default chat:)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> {
       if (v.empty() || v.size() > 64) return std::string("--redis-prefix must be 1 to 64 bytes");
       c.redis_prefix = v;
       return std::nullopt;
     }},
    {"--lines-per-second", "CHAT_LINES_PER_SECOND", "N",
     "chat lines one connection may send per second, sustained (default 20)",
     [](ServerConfig& c, const std::string& v) { return parse_rate("--lines-per-second", v, c.rates.lines_per_second); }},
    {"--line-burst", "CHAT_LINE_BURST", "N", "chat lines one connection may send at once (default 300)",
     [](ServerConfig& c, const std::string& v) { return parse_rate("--line-burst", v, c.rates.line_burst); }},
    {"--bytes-per-second", "CHAT_BYTES_PER_SECOND", "BYTES",
     "chat text one connection may send per second, sustained (default 32768)",
     [](ServerConfig& c, const std::string& v) { return parse_rate("--bytes-per-second", v, c.rates.bytes_per_second); }},
    {"--byte-burst", "CHAT_BYTE_BURST", "BYTES", "chat text one connection may send at once (default 262144)",
     [](ServerConfig& c, const std::string& v) { return parse_rate("--byte-burst", v, c.rates.byte_burst); }},
    {"--requests-per-second", "CHAT_REQUESTS_PER_SECOND", "N",
     "other requests (logins, rooms, joins, history pages, bad frames) per connection per second (default 2)",
     [](ServerConfig& c, const std::string& v) {
       return parse_rate("--requests-per-second", v, c.rates.requests_per_second);
     }},
    {"--request-burst", "CHAT_REQUEST_BURST", "N", "other requests one connection may send at once (default 30)",
     [](ServerConfig& c, const std::string& v) { return parse_rate("--request-burst", v, c.rates.request_burst); }},
    {"--max-queued-bytes", "CHAT_MAX_QUEUED_BYTES", "BYTES",
     "bytes queued to one client that does not read before it is closed with 1008 (default 4194304, at least "
     "1048576)",
     set_max_queued_bytes},
    {"--name-grace", "CHAT_NAME_GRACE", "SECONDS",
     "a dropped version-2 client's name stays reserved for its resume this long (default 60)",
     [](ServerConfig& c, const std::string& v) { return parse_seconds("--name-grace", v, 86400, c.name_grace_ms); }},
    {"--shutdown-grace", "CHAT_SHUTDOWN_GRACE", "SECONDS",
     "on SIGTERM, how long clients get to take their close frame and go (default 2)",
     [](ServerConfig& c, const std::string& v) { return parse_seconds("--shutdown-grace", v, 3600, c.shutdown_grace_ms); }},
    {"--no-limits", "CHAT_NO_LIMITS", nullptr, "turn every rate limit and connection cap off (for benchmarks only)",
     set_no_limits},
}};

const Flag* find_flag(const std::string& name) {
  for (const auto& flag : kFlags) {
    if (name == flag.name) return &flag;
  }
  return nullptr;
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args, const EnvironmentLookup& env) {
  CommandLine result;
  for (const auto& flag : kFlags) {
    if (const char* value = env(flag.env)) {
      if (auto error = flag.set(result.config, value)) {
        result.error = std::string(flag.env) + ": " + *error;
        return result;
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "--help" || name == "-h") {
      result.show_help = true;
      continue;
    }
    if (name == "--version") {
      result.show_version = true;
      continue;
    }
    const Flag* flag = find_flag(name);
    if (!flag) {
      result.error = "unknown argument '" + args[i] + "' (see --help)";
      return result;
    }
    if (!value && flag->value_name == nullptr) value = "";  // a switch
    if (!value) {
      if (i + 1 >= args.size()) {
        result.error = name + " needs a value";
        return result;
      }
      value = args[++i];
    }
    if (auto error = flag->set(result.config, *value)) {
      result.error = *error;
      return result;
    }
  }
  if (auto error = check_tls_pair(result.config)) result.error = *error;
  return result;
}

std::string usage() {
  std::string text =
      "Usage: chat_server [options]\n"
      "  or:  chat_server backup [--data-dir DIR] --to FILE\n"
      "Serves the chat's WebSocket protocol (on /ws and /) and the web client over HTTP on one port\n"
      "(HTTPS with --tls-cert and --tls-key). The backup command copies the store consistently while\n"
      "the server runs (chat_server backup --help).\n\n"
      "Options (each can also be set by the environment variable shown):\n";
  for (const auto& flag : kFlags) {
    std::string left = std::string("  ") + flag.name;
    if (flag.value_name) left += std::string(" ") + flag.value_name;
    left.resize(std::max<std::size_t>(left.size() + 2, 24), ' ');  // two spaces at least: help2man (the man page) splits an option from its text there
    text += left + flag.help + "  [" + flag.env + "]\n";
  }
  text += "  -h, --help            show this help\n";
  text += "  --version             show the version and the git commit it was built from\n";
  return text;
}

}  // namespace chat
