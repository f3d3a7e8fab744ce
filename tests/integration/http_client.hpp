// A one-shot HTTP/1.1 GET for the tests of the static side. Loopback only, every read bounded by
// a deadline; reading a response head is the WebSocket kit's (tests/wskit).
#pragma once

#include <cstdint>
#include <string>

#include "kit_names.hpp"

namespace chat_it {

struct HttpResponse {
  HttpHead head;
  std::string body;
};

// GET `path` with "Connection: close"; the body is read per Content-Length, else until EOF.
// tls: https:// (the certificate is not checked). extra_headers: whole lines, each ending "\r\n".
// method: "HEAD" reads the head only.
HttpResponse http_get(std::uint16_t port, const std::string& path, milliseconds timeout = milliseconds(5000),
                      bool tls = false, const std::string& extra_headers = "", const std::string& method = "GET");

}  // namespace chat_it
