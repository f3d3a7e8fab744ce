// One `openssl req -x509` call; an EC P-256 key because it is made in milliseconds where RSA-2048
// takes up to a second on a busy machine, and every test process makes its own.
#include "test_certificate.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kit_names.hpp"

namespace chat_it {
namespace {

class CertificateFolder {
 public:
  CertificateFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "chat-it-tls-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw HarnessFailure("mkdtemp failed");
    folder_ = pattern;
    certificate_ = {(folder_ / "cert.pem").string(), (folder_ / "key.pem").string()};
    make();
  }
  ~CertificateFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  const TestCertificate& certificate() const { return certificate_; }

 private:
  void make() {
    const std::string log = (folder_ / "openssl.log").string();
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1"
        " -addext subjectAltName=IP:127.0.0.1 -days 1 -keyout '" + certificate_.key_file + "' -out '" +
        certificate_.cert_file + "' >'" + log + "' 2>&1";
    if (std::system(command.c_str()) != 0) {
      std::ifstream in(log);
      std::stringstream output;
      output << in.rdbuf();
      throw HarnessFailure("could not make a test certificate with: " + command + "\n" + output.str());
    }
  }

  std::filesystem::path folder_;
  TestCertificate certificate_;
};

}  // namespace

const TestCertificate& test_certificate() {
  static const CertificateFolder folder;
  return folder.certificate();
}

std::vector<std::string> tls_flags() {
  const auto& certificate = test_certificate();
  return {"--tls-cert", certificate.cert_file, "--tls-key", certificate.key_file};
}

}  // namespace chat_it
