// Pure pieces of how the generator lays its clients out when a run is large (issue 18): which
// loopback source address a client binds to, and which server frame ends a version-2 join.
#pragma once

#include <cstdint>
#include <string_view>

namespace bench {

// 127.0.0.(1 + client mod addresses), in network byte order. `client` is the client's number
// across every generator process of the run (--first-client + its index), so the processes
// spread evenly over the addresses; `addresses` is 1 to 254.
std::uint32_t loopback_source(std::uint32_t client, std::uint32_t addresses);
// A `history` page (version 2): the last frame of a join, after `joined` and `members`.
bool is_history_page(std::string_view frame);

}  // namespace bench
