// An IP literal in Host is always accepted: rebinding needs a DNS name the attacker controls, and a
// page whose origin is an IP literal is that address's own page. Names are compared case-blind and
// without a trailing dot (the same name to DNS and to browsers' origins).
#include "server/host_check.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "server/connection_policy.hpp"

namespace chat {
namespace {

std::string normal_name(std::string_view name) {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool valid_port(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

bool is_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

}  // namespace

HostCheck::HostCheck(const std::vector<std::string>& server_names) {
  for (const auto& name : server_names) {
    if (name == "*") any_ = true;
    names_.push_back(normal_name(name));
  }
}

bool HostCheck::accepts(std::string_view host) const {
  if (any_) return !host.empty();
  std::string_view name = host;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = host.substr(1, close - 1);
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') return false;
      port = host.substr(close + 2);
      if (!valid_port(port)) return false;
    }
    return canonical_ip(name).has_value() && name.find(':') != std::string_view::npos;
  }
  if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    if (!valid_port(host.substr(colon + 1))) return false;
  }
  if (!is_name(name)) return false;
  if (canonical_ip(name)) return true;
  const std::string normal = normal_name(name);
  return normal == "localhost" || std::find(names_.begin(), names_.end(), normal) != names_.end();
}

}  // namespace chat
