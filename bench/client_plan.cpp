#include "bench/client_plan.hpp"

#include <arpa/inet.h>

namespace bench {

std::uint32_t loopback_source(std::uint32_t client, std::uint32_t addresses) {
  const std::uint32_t host = (127u << 24) | (1u + client % (addresses == 0 ? 1u : addresses));
  return htonl(host);
}

}  // namespace bench
