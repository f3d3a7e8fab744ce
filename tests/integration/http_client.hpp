// The HTTP/1.1 the tests need: reading a response head (shared with the WebSocket handshake) and
// a one-shot GET. Loopback only, every read bounded by a deadline.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "test_socket.hpp"

namespace chat_it {

struct HttpHead {
  std::string status_line;
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased, values trimmed

  std::string header(const std::string& lower_name) const;
};

// Reads until the blank line ending the head; bytes read past it are left in `buffer`.
HttpHead read_http_head(TestSocket& socket, std::string& buffer, Deadline deadline);

struct HttpResponse {
  HttpHead head;
  std::string body;
};

// GET `path` with "Connection: close"; the body is read per Content-Length, else until EOF.
// tls: https:// (the certificate is not checked).
HttpResponse http_get(std::uint16_t port, const std::string& path, milliseconds timeout = milliseconds(5000),
                      bool tls = false);

std::string to_lower(std::string text);

}  // namespace chat_it
