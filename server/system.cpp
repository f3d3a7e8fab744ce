// getrandom() blocks only before the kernel's pool is first initialised, never afterwards.
#include "server/system.hpp"

#include <sys/random.h>

#include <chrono>
#include <cstdlib>

namespace chat {

std::int64_t SystemClock::now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SystemRandom::fill(unsigned char* bytes, std::size_t count) {
  std::size_t filled = 0;
  while (filled < count) {
    const ssize_t got = getrandom(bytes + filled, count - filled, 0);
    if (got < 0) std::abort();  // no safe fallback for token secrets
    filled += static_cast<std::size_t>(got);
  }
}

}  // namespace chat
