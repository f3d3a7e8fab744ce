// How each flag's value is read and checked (config.cpp's table, kFlags, names which one): each
// answers a one-line error that names the flag and what it wants.
#include "server/config_values.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "server/connection_policy.hpp"

namespace chat::config_values {
namespace {

constexpr std::size_t kMinQueuedBytes = 1024 * 1024;
// --ping-after: 1 s to an hour (proxies and NATs cut idle connections long before an hour).
constexpr std::size_t kMaxPingAfterSeconds = 3600;
// --commit-window: up to 100 ms, a delay people in a conversation do not notice; beyond it the
// store's saving is small (it already groups what arrives in one loop iteration).
constexpr std::size_t kMaxCommitWindowMs = 100;

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

}  // namespace

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

// A cluster node has no group commit to widen: each line is one script of its own in Redis, which
// groups its fsyncs itself (one per event-loop turn with appendfsync always).
std::optional<std::string> check_commit_window(const ServerConfig& config) {
  if (config.commit_window_ms == 0 || config.redis_url.empty()) return std::nullopt;
  return "--commit-window is for one node's store (SQLite); a cluster node (--redis) stores each line on its own";
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

// A duration flag in whole units of `unit_ms` milliseconds (named `unit`), up to `max_units`.
static std::optional<std::string> parse_duration(const std::string& flag, const std::string& value, std::size_t max_units,
                                                 std::int64_t unit_ms, const char* unit, std::int64_t& out_ms) {
  std::size_t units = 0;
  if (parse_count(flag, value, units) || units > max_units) {
    return flag + " wants whole " + unit + " from 0 to " + std::to_string(max_units) + ", not '" + value + "'";
  }
  out_ms = static_cast<std::int64_t>(units) * unit_ms;
  return std::nullopt;
}

std::optional<std::string> parse_seconds(const std::string& flag, const std::string& value, std::size_t max_seconds,
                                         std::int64_t& out_ms) {
  return parse_duration(flag, value, max_seconds, 1000, "seconds", out_ms);
}

std::optional<std::string> parse_milliseconds(const std::string& flag, const std::string& value, std::size_t max_ms,
                                              std::int64_t& out_ms) {
  return parse_duration(flag, value, max_ms, 1, "milliseconds", out_ms);
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
std::optional<std::string> set_max_queued_bytes(ServerConfig& config, const std::string& value) {
  std::size_t bytes = 0;
  if (parse_count("--max-queued-bytes", value, bytes) || bytes < kMinQueuedBytes) {
    return "--max-queued-bytes wants a byte count of at least " + std::to_string(kMinQueuedBytes) + ", not '" + value + "'";
  }
  config.max_queued_bytes = bytes;
  return std::nullopt;
}

std::optional<std::string> set_ping_after(ServerConfig& config, const std::string& value) {
  std::int64_t ms = 0;
  if (parse_seconds("--ping-after", value, kMaxPingAfterSeconds, ms) || ms == 0) {
    return "--ping-after wants whole seconds from 1 to " + std::to_string(kMaxPingAfterSeconds) + ", not '" + value + "'";
  }
  config.ping_after_ms = ms;
  return std::nullopt;
}

std::optional<std::string> set_commit_window(ServerConfig& config, const std::string& value) {
  std::size_t ms = 0;
  if (parse_count("--commit-window", value, ms) || ms > kMaxCommitWindowMs) {
    return "--commit-window wants milliseconds from 0 to " + std::to_string(kMaxCommitWindowMs) + ", not '" + value + "'";
  }
  config.commit_window_ms = static_cast<std::int64_t>(ms);
  return std::nullopt;
}

std::optional<std::string> set_no_limits(ServerConfig& config, const std::string& value) {
  if (value != "" && value != "1" && value != "true") return "--no-limits takes no value (CHAT_NO_LIMITS=1)";
  config.no_limits = true;
  return std::nullopt;
}

}  // namespace chat::config_values
