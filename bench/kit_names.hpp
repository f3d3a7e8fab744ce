// The load generator speaks of the kits' types by their short names: the WebSocket kit
// (tests/wskit) and what it shares with the soak (tests/loadkit).
#pragma once

#include "tests/loadkit/chat_text.hpp"
#include "tests/loadkit/delivery_check.hpp"
#include "tests/loadkit/flags.hpp"
#include "tests/loadkit/proc_stats.hpp"
#include "tests/wskit/handshake.hpp"
#include "tests/wskit/ws_connection.hpp"

namespace bench {
using namespace loadkit;
using namespace wskit;
}  // namespace bench
