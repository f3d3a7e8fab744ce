// A self-signed certificate for 127.0.0.1, made with the openssl command-line tool at test time
// (never committed), for the server's --tls-cert/--tls-key.
#pragma once

#include <string>
#include <vector>

namespace chat_it {

struct TestCertificate {
  std::string cert_file;  // PEM
  std::string key_file;   // PEM, unencrypted
};

// Made once per test process in a temporary folder that is removed at exit. Throws HarnessFailure
// (with openssl's output) if it cannot be made.
const TestCertificate& test_certificate();

// {"--tls-cert", cert, "--tls-key", key}
std::vector<std::string> tls_flags();

}  // namespace chat_it
