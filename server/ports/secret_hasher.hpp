// The port for hashing token secrets: the core keeps and stores only hashes, and compares them in
// constant time. The edge uses SHA-256 (server/sha256_hasher); tests may use anything one-way enough.
#pragma once

#include <string>
#include <string_view>

namespace chat {

class SecretHasher {
 public:
  virtual ~SecretHasher() = default;
  // A fixed-length digest of `secret`, as printable text (it is stored in a TEXT column).
  virtual std::string hash(std::string_view secret) = 0;
};

}  // namespace chat
