// The readers of flag values that config.cpp's table (kFlags) uses. Internal to chat_config.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "server/config.hpp"

namespace chat::config_values {

std::optional<std::string> set_port(ServerConfig& config, const std::string& value);
std::optional<std::string> set_log_level(ServerConfig& config, const std::string& value);
std::optional<std::string> set_log_format(ServerConfig& config, const std::string& value);
std::optional<std::string> set_allowed_origins(ServerConfig& config, const std::string& value);
std::optional<std::string> set_trusted_proxies(ServerConfig& config, const std::string& value);
std::optional<std::string> set_host(ServerConfig& config, const std::string& value);
std::optional<std::string> set_metrics_listen(ServerConfig& config, const std::string& value);
std::optional<std::string> set_server_names(ServerConfig& config, const std::string& value);
std::optional<std::string> check_tls_pair(const ServerConfig& config);
std::optional<std::string> check_commit_window(const ServerConfig& config);
std::optional<std::string> parse_count(const std::string& flag, const std::string& value, std::size_t& out);
std::optional<std::string> set_max_rooms(ServerConfig& config, const std::string& value);
std::optional<std::string> set_max_room_members(ServerConfig& config, const std::string& value);
std::optional<std::string> set_token_ttl(ServerConfig& config, const std::string& value);
std::optional<std::string> parse_seconds(const std::string& flag, const std::string& value, std::size_t max_seconds,
                                         std::int64_t& out_ms);
std::optional<std::string> parse_milliseconds(const std::string& flag, const std::string& value, std::size_t max_ms,
                                              std::int64_t& out_ms);
std::optional<std::string> parse_rate(const std::string& flag, const std::string& value, double& out);
std::optional<std::string> set_max_queued_bytes(ServerConfig& config, const std::string& value);
std::optional<std::string> set_ping_after(ServerConfig& config, const std::string& value);
std::optional<std::string> set_commit_window(ServerConfig& config, const std::string& value);
std::optional<std::string> set_no_limits(ServerConfig& config, const std::string& value);

}  // namespace chat::config_values
