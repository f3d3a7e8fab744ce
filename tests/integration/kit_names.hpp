// The integration tests speak of the WebSocket kit's types and helpers (tests/wskit) by their
// short names: TestSocket, WsTestClient, encode_frame, HarnessFailure, deadlines...
#pragma once

#include "tests/wskit/frame.hpp"
#include "tests/wskit/handshake.hpp"
#include "tests/wskit/http_head_reader.hpp"
#include "tests/wskit/test_socket.hpp"
#include "tests/wskit/ws_test_client.hpp"

namespace chat_it {
using namespace wskit;
}  // namespace chat_it
