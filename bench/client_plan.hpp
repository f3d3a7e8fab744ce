// Pure pieces of how the generator lays its clients out when a run is large (issue 18): which
// loopback source address a client binds to.
#pragma once

#include <cstdint>

namespace bench {

// 127.0.0.(1 + client mod addresses), in network byte order. `client` is the client's number
// across every generator process of the run (--first-client + its index), so the processes
// spread evenly over the addresses; `addresses` is 1 to 254.
std::uint32_t loopback_source(std::uint32_t client, std::uint32_t addresses);

}  // namespace bench
