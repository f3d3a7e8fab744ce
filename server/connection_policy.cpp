// Origins are compared as (scheme, host, port) triples so that "http://a" and "http://A:80" agree,
// as browsers' same-origin rule does. Addresses are compared in canonical form.
#include "server/connection_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace chat {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

// Splits "host[:port]" (host may be "[v6]"); the port is empty when absent.
bool split_authority(std::string_view authority, std::string_view& host, std::string_view& port) {
  std::size_t host_end = 0;
  if (!authority.empty() && authority.front() == '[') {
    host_end = authority.find(']');
    if (host_end == std::string_view::npos) return false;
    ++host_end;
    if (!canonical_ip(authority.substr(1, host_end - 2))) return false;
  } else {
    host_end = std::min(authority.find(':'), authority.size());
    if (!is_host_name(authority.substr(0, host_end))) return false;
  }
  host = authority.substr(0, host_end);
  port = {};
  if (host_end == authority.size()) return true;
  if (authority[host_end] != ':') return false;
  port = authority.substr(host_end + 1);
  return true;
}

}  // namespace

bool Origin::operator==(const Origin& other) const {
  return scheme == other.scheme && host == other.host && port == other.port;
}

std::optional<Origin> parse_origin(std::string_view text) {
  const auto separator = text.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  Origin origin;
  origin.scheme = lower(text.substr(0, separator));
  if (origin.scheme != "http" && origin.scheme != "https") return std::nullopt;
  std::string_view host;
  std::string_view port;
  if (!split_authority(text.substr(separator + 3), host, port)) return std::nullopt;
  origin.host = lower(host);
  if (port.empty()) {
    origin.port = origin.scheme == "https" ? 443 : 80;
    return origin;
  }
  const auto number = parse_port(port);
  if (!number) return std::nullopt;
  origin.port = *number;
  return origin;
}

namespace {

// inet_pton's dotted quad: four decimal numbers up to 255, none with a leading zero. Such a text
// is already in canonical form, and every IPv4 peer's address is one: checked here without the
// libc round trip (inet_pton + inet_ntop cost ~2 us per connection, several times each).
bool is_canonical_ipv4(std::string_view text) {
  std::size_t at = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0 && (at >= text.size() || text[at++] != '.')) return false;
    const std::size_t start = at;
    unsigned value = 0;
    while (at < text.size() && at - start < 3 && text[at] >= '0' && text[at] <= '9') value = value * 10 + (text[at++] - '0');
    const std::size_t digits = at - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
  }
  return at == text.size();
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (is_canonical_ipv4(text)) return std::string(text);
  const std::string copy(text);
  char out[INET6_ADDRSTRLEN];
  in_addr v4{};
  if (inet_pton(AF_INET, copy.c_str(), &v4) == 1) return std::string(inet_ntop(AF_INET, &v4, out, sizeof out));
  in6_addr v6{};
  if (inet_pton(AF_INET6, copy.c_str(), &v6) != 1) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::copy_n(v6.s6_addr + 12, 4, reinterpret_cast<unsigned char*>(&v4));
    return std::string(inet_ntop(AF_INET, &v4, out, sizeof out));
  }
  return std::string(inet_ntop(AF_INET6, &v6, out, sizeof out));
}

ConnectionPolicy::ConnectionPolicy(const std::vector<std::string>& allowed_origins,
                                   const std::vector<std::string>& trusted_proxies) {
  for (const auto& text : allowed_origins) {
    if (auto origin = parse_origin(text)) allowed_origins_.push_back(std::move(*origin));
  }
  for (const auto& text : trusted_proxies) {
    if (auto address = canonical_ip(text)) trusted_proxies_.push_back(std::move(*address));
  }
}

bool ConnectionPolicy::accepts_origin(std::string_view origin, std::string_view host, std::string_view scheme) const {
  if (origin.empty()) return true;  // not a browser page: browsers always send Origin on WebSocket
  const auto page = parse_origin(origin);
  if (!page) return false;
  if (std::find(allowed_origins_.begin(), allowed_origins_.end(), *page) != allowed_origins_.end()) return true;
  const auto self = parse_origin(std::string(scheme) + "://" + std::string(host));
  return self && *self == *page;
}

std::string ConnectionPolicy::request_scheme(std::string_view peer, bool tls, std::string_view forwarded_proto) const {
  const std::string claimed = lower(trim(forwarded_proto));
  if ((claimed == "http" || claimed == "https") && trusts(peer)) return claimed;
  return tls ? "https" : "http";
}

std::string ConnectionPolicy::client_address(std::string_view peer, std::string_view forwarded_for) const {
  std::string nearest = canonical_ip(peer).value_or(std::string(peer));
  if (!trusts(nearest)) return nearest;
  // Walk right to left: each trusted hop vouches for the entry before it.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry = trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    const auto address = canonical_ip(entry);
    if (!address) return nearest;  // garbage from a client: keep the last hop we can vouch for
    nearest = *address;
    if (!trusts(nearest)) return nearest;
  }
  return nearest;
}

bool ConnectionPolicy::trusts(std::string_view address) const {
  if (trusted_proxies_.empty()) return false;  // the usual case: nothing to compare
  const auto canonical = canonical_ip(address);
  return canonical && std::find(trusted_proxies_.begin(), trusted_proxies_.end(), *canonical) != trusted_proxies_.end();
}

}  // namespace chat
