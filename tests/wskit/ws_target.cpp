// Turning flags and ws:// URLs into connect() addresses.
#include "tests/wskit/ws_target.hpp"

#include <arpa/inet.h>

#include <cstdlib>

namespace wskit {

bool make_target(const std::string& host, int port, WsTarget& target, std::string& error) {
  if (port <= 0 || port > 65535) return error = "not a port: " + std::to_string(port), false;
  target.address = sockaddr_in{};
  target.address.sin_family = AF_INET;
  target.address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &target.address.sin_addr) != 1) {
    return error = "not an IPv4 address: " + host, false;
  }
  target.host_port = host + ":" + std::to_string(port);
  return true;
}

bool parse_ws_url(std::string_view url, WsTarget& target, std::string& error) {
  constexpr std::string_view kScheme = "ws://";
  if (url.substr(0, kScheme.size()) != kScheme) return error = "not a ws:// URL: " + std::string(url), false;
  std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  target.path = slash == std::string_view::npos ? "/ws" : std::string(rest.substr(slash));
  const std::size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) return error = "no port in " + std::string(url), false;
  const std::string port_text(authority.substr(colon + 1));
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0') return error = "no port in " + std::string(url), false;
  return make_target(std::string(authority.substr(0, colon)), static_cast<int>(port), target, error);
}

}  // namespace wskit
