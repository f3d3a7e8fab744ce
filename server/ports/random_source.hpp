// The port for unpredictable bytes (resume tokens). The edge reads the kernel's CSPRNG; tests may
// use a deterministic source.
#pragma once

#include <cstddef>

namespace chat {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(unsigned char* bytes, std::size_t count) = 0;
};

}  // namespace chat
