// A Clock that moves only when the test moves it, and a predictable RandomSource.
#pragma once

#include "server/ports/clock.hpp"
#include "server/ports/random_source.hpp"

namespace chat {

class FakeClock final : public Clock {
 public:
  std::int64_t now_ms() override { return now; }
  std::int64_t now = 1'700'000'000'000;
};

class CountingRandom final : public RandomSource {
 public:
  void fill(unsigned char* bytes, std::size_t count) override {
    for (std::size_t i = 0; i < count; ++i) bytes[i] = static_cast<unsigned char>(next_++ * 37 + 11);
  }

 private:
  unsigned next_ = 0;
};

}  // namespace chat
