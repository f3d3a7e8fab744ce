// Which names a request may give in its Host header: the defence against DNS rebinding, where a
// page on an attacker's name that now resolves to this server reads it as its own origin. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chat {

class HostCheck {
 public:
  // server_names: the names this server is reached by (as typed in an address bar, no port), "*"
  // for any. Besides them, "localhost" and every IP literal are always accepted.
  explicit HostCheck(const std::vector<std::string>& server_names);

  // host: the Host header as received ("name", "name:port", "[v6]:port"); the port is not
  // compared, so that a name stays good behind a proxy that listens on another port.
  bool accepts(std::string_view host) const;

 private:
  std::vector<std::string> names_;  // lower case, no trailing dot
  bool any_ = false;
};

}  // namespace chat
