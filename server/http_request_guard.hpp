// What an HTTP request must look like before the server answers it or upgrades it: GET or HEAD,
// no body, heads of bounded size, a known Host, no h2c. Pure (request facts in, refusal out); the
// lws edge gathers the facts and writes the answer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "server/host_check.hpp"

namespace chat {

// The request as the edge saw it. A header that was absent is empty; lws joins repeated ones.
struct HttpRequestFacts {
  std::string method;  // upper case: "GET", "POST", ... ("" if the parser knew none)
  std::size_t target_bytes = 0;       // path and query together
  bool field_at_limit = false;        // some header reached kMaxFieldBytes (lws cut it there)
  bool has_host = false;
  std::string host;
  bool has_content_length = false;
  std::string content_length;
  bool has_transfer_encoding = false;
  std::string upgrade;  // the Upgrade header, "" when none
};

struct HttpRefusal {
  int status = 400;
  std::string reason;          // the status line's text
  std::string message;         // the body: one line saying what to change
  bool allow_header = false;   // 405: "Allow: GET, HEAD"
};

class HttpRequestGuard {
 public:
  // Request target (path + query) and each header field are cut by lws at these sizes; a request
  // that reaches one is refused (414, 431) rather than served with a cut value. A browser's 6 KiB
  // of cookies fit in one field.
  static constexpr std::size_t kMaxTargetBytes = 4096;
  static constexpr std::size_t kMaxFieldBytes = 8192;

  explicit HttpRequestGuard(HostCheck hosts) : hosts_(std::move(hosts)) {}

  // nullopt: serve it (or go on with the WebSocket handshake).
  std::optional<HttpRefusal> check(const HttpRequestFacts& request) const;

 private:
  HostCheck hosts_;
};

}  // namespace chat
