// The operating system's implementations of the Clock and RandomSource ports.
#pragma once

#include "server/ports/clock.hpp"
#include "server/ports/random_source.hpp"

namespace chat {

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() override;
};

// The kernel's CSPRNG (getrandom); resume tokens must be unguessable.
class SystemRandom final : public RandomSource {
 public:
  void fill(unsigned char* bytes, std::size_t count) override;
};

}  // namespace chat
