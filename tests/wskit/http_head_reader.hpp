// Reads an HTTP response head from a blocking TestSocket: the WebSocket handshake's answer, and
// the integration tests' plain HTTP requests. Every read bounded by the deadline.
#pragma once

#include <string>

#include "tests/wskit/handshake.hpp"
#include "tests/wskit/test_socket.hpp"

namespace wskit {

// Reads until the blank line ending the head; bytes read past it are left in `buffer`. Throws
// HarnessFailure on a timeout, an early close, a head over 16 KiB or one that is not HTTP.
HttpHead read_http_head(TestSocket& socket, std::string& buffer, Deadline deadline);

}  // namespace wskit
