// A deliberately trivial chat server for measuring the load generator's own ceiling: the same
// wire protocol subset the benchmark uses (login, create_room, join_room, send_message), no
// storage, no validation, one write per connection per loop turn. Not a product server.
#pragma once

#include <cstdint>

namespace bench {

// Listens on 127.0.0.1:port (0: any free port), prints "listening on http://127.0.0.1:PORT/" and
// serves until SIGINT/SIGTERM or `lifetime_s` elapses. Returns the process exit status.
int run_broadcast_peer(int port, double lifetime_s);

}  // namespace bench
