// A SecretHasher for core tests: deterministic, cheap, and visibly not the secret (FNV-1a, hex).
// The real one (SHA-256) is tested with the store and over sockets.
#pragma once

#include <cstdint>
#include <cstdio>

#include "server/ports/secret_hasher.hpp"

namespace chat {

class FakeHasher final : public SecretHasher {
 public:
  std::string hash(std::string_view secret) override {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : secret) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    char text[24];
    std::snprintf(text, sizeof text, "fnv:%016llx", static_cast<unsigned long long>(h));
    ++calls;
    return text;
  }
  int calls = 0;
};

}  // namespace chat
