// Who may open a chat connection, and who it really comes from: the Origin rule and the client
// address behind trusted reverse proxies. Pure (strings in, decisions out); the lws edge asks it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

// An origin as browsers send it: scheme://host[:port], with the port made explicit.
struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal keeps its brackets
  int port = 0;

  bool operator==(const Origin& other) const;
};

// Accepts exactly scheme://host[:port] (no path, no user info); nullopt otherwise, "null" included.
std::optional<Origin> parse_origin(std::string_view text);
// The address in canonical text form (IPv4-mapped IPv6 becomes IPv4); nullopt if it is not an IP.
std::optional<std::string> canonical_ip(std::string_view text);

class ConnectionPolicy {
 public:
  // Entries that do not parse are ignored: the configuration has validated them already.
  ConnectionPolicy(const std::vector<std::string>& allowed_origins, const std::vector<std::string>& trusted_proxies);

  // origin: the Origin header ("" when absent: native clients send none). host: the Host header.
  // scheme: "http" or "https", as the client reached us (see request_scheme).
  bool accepts_origin(std::string_view origin, std::string_view host, std::string_view scheme) const;
  // Our own scheme, unless a trusted proxy says (X-Forwarded-Proto) that it terminated TLS.
  std::string request_scheme(std::string_view peer, bool tls, std::string_view forwarded_proto) const;
  // The address a per-address limit should count: the peer itself, or, when the peer is a trusted
  // proxy, the nearest address in X-Forwarded-For that is not a trusted proxy (the right-most
  // entries are the ones our proxies appended; anything left of them is the client's own claim).
  std::string client_address(std::string_view peer, std::string_view forwarded_for) const;
  bool trusts(std::string_view address) const;

 private:
  std::vector<Origin> allowed_origins_;
  std::vector<std::string> trusted_proxies_;  // canonical_ip form
};

}  // namespace chat
