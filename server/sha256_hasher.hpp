// SHA-256 for resume-token secrets (OpenSSL's libcrypto, already linked through libwebsockets).
// A fast hash is right here: the secret is 128 random bits, so there is nothing to brute-force.
#pragma once

#include <string>
#include <string_view>

#include "server/ports/secret_hasher.hpp"

namespace chat {

// Lower-case hex, 64 characters.
std::string sha256_hex(std::string_view bytes);

class Sha256Hasher final : public SecretHasher {
 public:
  std::string hash(std::string_view secret) override { return sha256_hex(secret); }
};

}  // namespace chat
