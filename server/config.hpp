// The server's settings and their parsing from the command line and environment. Pure: no file
// or socket is touched here, so parsing is unit-tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "server/core/rate_limits.hpp"
#include "server/log.hpp"
#include "shared/limits.hpp"

namespace chat {

struct ServerConfig {
  std::string host = "127.0.0.1";  // an IP literal, bound exactly; 0.0.0.0 or :: for every address
  int port = 8080;  // 0: the kernel picks a free port (printed on stdout)
  std::string web_root = "web";
  std::string data_dir = "data";
  std::string redis_url;               // empty: one node on SQLite in data_dir; else a cluster member
  std::string redis_prefix = "chat:";
  LogLevel log_level = LogLevel::info;
  LogFormat log_format = LogFormat::text;
  Limits limits;
  bool no_limits = false;  // benchmarks: every rate limit and connection cap off
  RateLimits rates;        // per connection; `enabled` is !no_limits
  // WebSocket connections at once; 0: no cap. Per address: a classroom or office behind one NAT
  // address is hundreds of people, so the default leaves room for that.
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_address = 500;
  std::size_t max_queued_bytes = 4 * 1024 * 1024;  // per connection: a reader this far behind is dropped
  std::size_t max_rooms = 1000;  // general included; see set_max_rooms
  std::int64_t name_grace_ms = 60'000;
  // A connection silent this long is pinged, and dropped when the ping is 5 s unanswered. Each
  // idle connection costs a ping and a pong per period: at 10 000 idle connections, 5 s was half
  // the server's CPU in the benchmark's scenario c (docs/BENCHMARKS.md).
  std::int64_t ping_after_ms = 5000;
  std::int64_t commit_window_ms = 0;  // a line waits up to this long for others to share its commit
  // SIGTERM: how long clients are given to take their close frame and go before the server stops.
  std::int64_t shutdown_grace_ms = 2000;
  // Resume tokens: dropped when unused (no login or resume with them) this long; 0: never.
  std::int64_t token_ttl_ms = 30LL * 24 * 3'600'000;
  std::size_t new_tokens_per_address_hour = 500;  // 0: no cap
  std::size_t new_rooms_per_address_hour = 10;    // 0: no cap
  std::size_t max_accounts = 100'000;
  std::size_t new_accounts_per_address_hour = 60;  // 0: no cap
  std::size_t max_room_members = 1000;             // a private room's, its owner included
  std::size_t max_conversations = 100'000;
  std::size_t new_conversations_per_hour = 60;     // per account; 0: no cap
  // Typing notices passed on per connection: at most one per this many ms; 0: no spacing (tests).
  std::int64_t typing_interval_ms = 3000;
  // --metrics-listen: /metrics served on this address and port only; port -1: off.
  std::string metrics_host;
  int metrics_port = -1;
  // TLS: both set (https:// and wss:// on the port) or both empty (plain http:// and ws://).
  std::string tls_cert_file;
  std::string tls_key_file;
  // Browser pages allowed to open the chat besides the page's own origin (see connection_policy).
  std::vector<std::string> allowed_origins;
  // Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.
  std::vector<std::string> trusted_proxies;
  // Names accepted in the Host header besides localhost and IP literals (see host_check); "*": any.
  std::vector<std::string> server_names;
};

struct CommandLine {
  ServerConfig config;
  bool show_help = false;
  bool show_version = false;
  std::string error;  // non-empty: the arguments are unusable, say this and exit 2
};

// Looks up an environment variable; returns nullptr when unset (std::getenv's contract).
using EnvironmentLookup = std::function<const char*(const char*)>;

CommandLine parse_command_line(const std::vector<std::string>& args, const EnvironmentLookup& env);
std::string usage();

}  // namespace chat
