// Each flag is declared once in kFlags, which drives both parsing and --help, so the two cannot
// drift apart. Environment variables give defaults; flags override them.
// How each value is read is config_values'.
#include "server/config.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "server/config_values.hpp"

namespace chat {
namespace {

using namespace config_values;

using Setter = std::optional<std::string> (*)(ServerConfig&, const std::string&);

struct Flag {
  const char* name;
  const char* env;
  const char* value_name;
  const char* help;
  Setter set;
};

// A flag whose value_name is nullptr is a switch: it takes no value on the command line.
const std::array<Flag, 38> kFlags{{
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
    {"--typing-interval-ms", "CHAT_TYPING_INTERVAL_MS", "MS",
     "typing notices passed on per connection: at most one per this many milliseconds, the others dropped "
     "(default 3000; 0: no spacing)",
     [](ServerConfig& c, const std::string& v) {
       return parse_milliseconds("--typing-interval-ms", v, 60'000, c.typing_interval_ms);
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
    {"--ping-after", "CHAT_PING_AFTER", "SECONDS",
     "a connection silent this long is pinged, and dropped if the ping is 5 s unanswered (default 5; "
     "with many idle connections, more: fewer pings, a dead connection and its name found later)",
     set_ping_after},
    {"--commit-window", "CHAT_COMMIT_WINDOW", "MS",
     "a chat line waits up to this long for others to share its store commit (default 0: off; less "
     "CPU per line under steady traffic, each line seen up to MS later; one node only)",
     set_commit_window},
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
  if (auto error = check_commit_window(result.config)) result.error = *error;
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
