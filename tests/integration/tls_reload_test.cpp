// SIGHUP reloads the TLS certificate and key: a renewal under load drops no connection (they
// keep chatting through and after it), new handshakes see the new certificate, a broken renewal
// keeps the old one, and a plain server survives the signal.
#include "chat_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace chat_it {
namespace {

namespace fs = std::filesystem;

// A self-signed certificate for 127.0.0.1 whose subject carries `organisation`, as cert/key files.
void make_certificate(const fs::path& cert, const fs::path& key, const std::string& organisation) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=127.0.0.1/O=" +
      organisation + "' -addext subjectAltName=IP:127.0.0.1 -days 1 -keyout '" + key.string() + "' -out '" +
      cert.string() + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw HarnessFailure("could not run: " + command);
}

// The subject of the certificate a new TLS handshake on `port` presents ("" if it failed).
std::string presented_subject(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const timeval timeout{30, 0};  // a bound on a hang, not a timing assumption
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string subject;
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(context);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 && SSL_set_fd(ssl, fd) == 1 &&
      SSL_connect(ssl) == 1) {
    if (X509* certificate = SSL_get1_peer_certificate(ssl)) {
      char text[256] = "";
      X509_NAME_oneline(X509_get_subject_name(certificate), text, sizeof text);
      subject = text;
      X509_free(certificate);
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(context);
  ::close(fd);
  return subject;
}

class TlsReloadTest : public ChatServerTest {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "chat-tls-reload-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    make_certificate(cert(), key(), "first");
    ChatServerTest::SetUp();
  }
  void TearDown() override {
    ChatServerTest::TearDown();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  std::vector<std::string> server_flags() const override {
    return {"--no-limits", "--tls-cert", cert().string(), "--tls-key", key().string()};  // the load is not a flood
  }

  fs::path cert() const { return folder_ / "cert.pem"; }
  fs::path key() const { return folder_ / "key.pem"; }

  // As certbot does: the new files are written beside and renamed over the old ones.
  void renew(const std::string& organisation) {
    make_certificate(folder_ / "new-cert.pem", folder_ / "new-key.pem", organisation);
    fs::rename(folder_ / "new-key.pem", key());
    fs::rename(folder_ / "new-cert.pem", cert());
  }

  // Sends SIGHUP and waits for the server to log the outcome: `outcome` appearing `count` times.
  void reload_and_wait(const std::string& outcome, int count) {
    ASSERT_EQ(::kill(server().pid(), SIGHUP), 0);
    const Deadline deadline = deadline_in(milliseconds(30000));
    while (occurrences(server().log(), outcome) < count) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no \"" << outcome << "\" in the log:\n" << server().log();
      std::this_thread::sleep_for(milliseconds(10));
    }
  }

  static int occurrences(const std::string& text, const std::string& what) {
    int count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
    return count;
  }

  std::unique_ptr<ChatTestClient> connect_wss(const std::string& name) {
    HandshakeOptions options;
    options.tls = true;
    auto client = connect(options);
    client->login(name);
    return client;
  }

 private:
  fs::path folder_;
};

TEST_F(TlsReloadTest, RenewedUnderLoadWithoutDroppingAConnection) {
  EXPECT_NE(presented_subject(port()).find("O=first"), std::string::npos);
  auto alice = connect_wss("alice");
  auto bob = connect_wss("bob");
  // Load: alice talks and bob listens, line after line, while the certificate is renewed.
  std::atomic<bool> reloaded{false};
  std::string load_failure;
  int lines = 0;
  {
    JoinedThread load([&] {
      try {
        while (!reloaded || lines < 300) {  // 300 lines at least, and on until the reload is done
          const std::string text = "line " + std::to_string(lines++);
          alice->send(chat::SendMessage{text});
          for (auto* c : {alice.get(), bob.get()}) c->expect_chat("alice", "general", text);
        }
      } catch (const std::exception& failure) {
        load_failure = failure.what();
      }
    });
    renew("renewed");
    reload_and_wait("tls_reloaded", 1);
    reloaded = true;
  }
  ASSERT_EQ(load_failure, "") << "after " << lines << " lines";
  EXPECT_NE(presented_subject(port()).find("O=renewed"), std::string::npos) << presented_subject(port());
  auto carol = connect_wss("carol");  // a new handshake, with the new certificate
  expect_served("general", {alice.get(), bob.get(), carol.get()});
}

TEST_F(TlsReloadTest, ABrokenRenewalKeepsTheCurrentCertificate) {
  auto alice = connect_wss("alice");
  make_certificate(cert(), fs::path(key()).replace_filename("other-key.pem"), "mismatched");  // key.pem stays the old
  reload_and_wait("TLS certificate not reloaded, the current one stays", 1);
  EXPECT_NE(presented_subject(port()).find("O=first"), std::string::npos) << presented_subject(port());
  auto bob = connect_wss("bob");
  expect_served("general", {alice.get(), bob.get()});
}

using PlainReloadTest = ChatServerTest;

TEST_F(PlainReloadTest, APlainServerSurvivesSighup) {
  auto alice = connect_as("alice");
  ASSERT_EQ(::kill(server().pid(), SIGHUP), 0);
  const Deadline deadline = deadline_in(milliseconds(30000));
  while (server().log().find("SIGHUP: no TLS certificate to reload") == std::string::npos) {
    ASSERT_FALSE(server().wait_exit(milliseconds(10)).has_value()) << "SIGHUP ended the server";
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "nothing logged after SIGHUP";
  }
  expect_served("general", {alice.get()});
}

}  // namespace
}  // namespace chat_it
