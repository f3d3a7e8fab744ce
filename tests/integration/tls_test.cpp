// https:// and wss:// on the server's one port (--tls-cert/--tls-key, a certificate made at test
// time), the chat over TLS including coalesced bursts, and the start-up errors of a bad TLS set-up.
#include "chat_fixture.hpp"
#include "http_client.hpp"
#include "test_certificate.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>

namespace chat_it {
namespace {

class TlsTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return tls_flags(); }

  std::unique_ptr<ChatTestClient> connect_wss(const std::string& name) {
    HandshakeOptions options;
    options.tls = true;
    auto client = connect(options);
    client->login(name);
    return client;
  }
};

TEST_F(TlsTest, HttpsServesTheIndex) {
  const auto response = http_get(port(), "/", kReplyTimeout, true);
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_NE(response.body.find("integration index"), std::string::npos) << response.body;
}

// The edge writes ready-made frames with LWS_WRITE_RAW, which is only right over HTTP/1.1.
TEST_F(TlsTest, AlpnNeverSelectsHttp2) {
  auto socket = TestSocket::connect_loopback(port(), kReplyTimeout);
  socket.start_tls(deadline_in(kReplyTimeout), kBrowserAlpn);
  EXPECT_EQ(socket.alpn_selected(), "http/1.1");
}

TEST_F(TlsTest, TwoClientsChatOverWss) {
  auto alice = connect_wss("alice");
  auto bob = connect_wss("bob");
  expect_served("general", {alice.get(), bob.get()});
  const std::string longest(4096, 'w');  // the longest line the protocol accepts
  bob->send(chat::SendMessage{longest});
  for (auto* c : {alice.get(), bob.get()}) c->expect_chat("bob", "general", longest);
}

// A burst is queued faster than it is written: the edge coalesces it into 64 KiB writes that go
// through lws's TLS layer (and its buffer for what SSL_write did not take).
TEST_F(TlsTest, BurstsArriveWholeAndInOrderOverWss) {
  auto alice = connect_wss("alice");
  auto bob = connect_wss("bob");
  for (int i = 0; i < 200; ++i) alice->send(chat::SendMessage{"burst line " + std::to_string(i)});
  for (auto* c : {alice.get(), bob.get()}) {
    for (int i = 0; i < 200; ++i) c->expect_chat("alice", "general", "burst line " + std::to_string(i));
  }
  const auto big = [](int i) { return std::to_string(i) + std::string(4090, static_cast<char>('a' + i % 26)); };
  for (int i = 0; i < 40; ++i) bob->send(chat::SendMessage{big(i)});
  for (auto* c : {alice.get(), bob.get()}) {
    for (int i = 0; i < 40; ++i) c->expect_chat("bob", "general", big(i));
  }
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(TlsTest, A64KiBLineIsRefusedAndTheConnectionKept) {
  auto alice = connect_wss("alice");
  auto bob = connect_wss("bob");
  alice->send(chat::SendMessage{std::string(64 * 1024, 'x')});
  alice->expect_refusal(chat::ErrorCode::message_too_long);
  bob->expect_no_frame(milliseconds(100));
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(TlsTest, PlainWebSocketOnTheTlsPortGetsNoUpgrade) {
  auto alice = connect_wss("alice");
  EXPECT_THROW(WsTestClient plain(port()), HarnessFailure);
  expect_served("general", {alice.get()});
}

TEST_F(TlsTest, ShutdownClosesWssClientsWithGoingAway) {
  auto alice = connect_wss("alice");
  auto guest = connect([] { HandshakeOptions options; options.tls = true; return options; }());
  server().terminate();
  for (auto* c : {alice.get(), guest.get()}) c->expect_close(1001);
  const auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << ServerProcess::describe_status(*status);
}

struct Exit {
  int code = -1;
  std::string output;  // stdout and stderr
};

// Runs the server to its exit with these flags (each start-up error below exits at once).
Exit run_server(const std::string& flags) {
  char folder[] = "/tmp/chat-it-start-XXXXXX";
  if (::mkdtemp(folder) == nullptr) throw HarnessFailure("mkdtemp failed");
  const std::string command =
      "timeout 20 " + server_binary() + " --port 0 --data-dir " + folder + " " + flags + " 2>&1";
  Exit result;
  if (std::FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, got);
    const int status = ::pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::system((std::string("rm -rf ") + folder).c_str());
  return result;
}

TEST(TlsStartup, CertificateWithoutKeyIsAUsageError) {
  const auto result = run_server("--tls-cert " + test_certificate().cert_file);
  EXPECT_EQ(result.code, 2) << result.output;
  EXPECT_NE(result.output.find("--tls-key"), std::string::npos) << result.output;
}

TEST(TlsStartup, MissingCertificateFileIsNamed) {
  const auto result = run_server("--tls-cert /nonexistent/cert.pem --tls-key " + test_certificate().key_file);
  EXPECT_NE(result.code, 0) << result.output;
  EXPECT_NE(result.output.find("--tls-cert /nonexistent/cert.pem: No such file"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("listening"), std::string::npos) << result.output;
}

TEST(TlsStartup, KeyThatIsNotAKeyStopsTheServer) {
  const auto& certificate = test_certificate();
  const auto result = run_server("--tls-cert " + certificate.cert_file + " --tls-key " + certificate.cert_file);
  EXPECT_NE(result.code, 0) << result.output;
  EXPECT_NE(result.output.find("TLS certificate and key"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("listening"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace chat_it
