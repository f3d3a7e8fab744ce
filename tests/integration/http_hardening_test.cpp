// The HTTP side of the port against hostile requests (PROTOCOL.md, "HTTP"): the listening address,
// no HTTP/2, the Host check, the web root's symbolic links, and requests that could desynchronise
// a connection. Raw sockets throughout: an HTTP library would not send these bytes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "chat_fixture.hpp"
#include "http_client.hpp"
#include "test_certificate.hpp"

namespace chat_it {
namespace {

struct Exchange {
  std::string bytes;    // everything the server sent
  bool closed = false;  // ... and then it closed the connection
};

// Sends `request` as it is and reads until the server closes (or the deadline passes), or, with
// head_only, until a whole response head has come (a 101 leaves the connection open).
Exchange exchange(std::uint16_t port, const std::string& request, milliseconds timeout = milliseconds(5000),
                  bool head_only = false, bool tls = false) {
  const Deadline deadline = deadline_in(timeout);
  TestSocket socket = TestSocket::connect_loopback(port, timeout);
  if (tls) socket.start_tls(deadline, "http/1.1");
  if (!socket.send_all(request, deadline)) throw HarnessFailure("could not send the request");
  Exchange result;
  for (;;) {
    const auto status = socket.read_some(result.bytes, deadline);
    if (status == TestSocket::ReadStatus::closed) {
      result.closed = true;
      return result;
    }
    if (status == TestSocket::ReadStatus::timeout) return result;
    if (head_only && result.bytes.find("\r\n\r\n") != std::string::npos) return result;
  }
}

int status_of(const std::string& bytes) {
  if (bytes.rfind("HTTP/1.", 0) != 0 || bytes.size() < 12) return 0;
  return std::stoi(bytes.substr(9, 3));
}

int count_of(const std::string& text, const std::string& piece) {
  int count = 0;
  for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++count;
  return count;
}

std::string host_header(std::uint16_t port, const std::string& name = "127.0.0.1") {
  return "Host: " + name + ":" + std::to_string(port) + "\r\n";
}

std::string get(std::uint16_t port, const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\n" + host_header(port) + extra + "\r\n";
}

std::string upgrade_request(const std::string& host, const std::string& extra = "") {
  return "GET /ws HTTP/1.1\r\nHost: " + host + "\r\n" + extra +
         "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: 13\r\n\r\n";
}

// ---- the listening address ----

struct Listener {
  std::string address;  // as /proc/net shows it: hex, in the kernel's byte order
  int port = 0;
  bool ipv6 = false;
};

std::set<std::string> socket_inodes(pid_t pid) {
  std::set<std::string> inodes;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code error;
    const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.rfind("socket:[", 0) == 0) inodes.insert(target.substr(8, target.size() - 9));
  }
  return inodes;
}

// The process's TCP sockets in the LISTEN state (st 0A), from /proc/net/tcp and tcp6.
std::vector<Listener> listeners_of(pid_t pid) {
  const auto inodes = socket_inodes(pid);
  std::vector<Listener> found;
  for (const bool ipv6 : {false, true}) {
    std::ifstream table(ipv6 ? "/proc/net/tcp6" : "/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // the column names
    while (std::getline(table, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
      if (state != "0A" || inodes.count(inode) == 0) continue;
      const auto colon = local.find(':');
      found.push_back({local.substr(0, colon), std::stoi(local.substr(colon + 1), nullptr, 16), ipv6});
    }
  }
  return found;
}

bool ipv6_loopback_available() {
  std::ifstream interfaces("/proc/net/if_inet6");
  std::string line;
  while (std::getline(interfaces, line)) {
    if (line.rfind("00000000000000000000000000000001", 0) == 0) return true;
  }
  return false;
}

// errno of a plain connect() to address:port, 0 when it connected.
int connect_error(int family, const std::string& address, std::uint16_t port) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    ::inet_pton(AF_INET, address.c_str(), &v4->sin_addr);
    length = sizeof *v4;
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    ::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr);
    length = sizeof *v6;
  }
  const int result = ::connect(fd, reinterpret_cast<sockaddr*>(&storage), length);
  const int error = result == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

using HttpHardeningTest = ChatServerTest;

TEST_F(HttpHardeningTest, ListensOnlyOnTheGivenIpv4Address) {  // the harness starts it with --host 127.0.0.1
  const auto listeners = listeners_of(server().pid());
  ASSERT_EQ(listeners.size(), 1u);
  EXPECT_FALSE(listeners[0].ipv6) << "listening on IPv6 " << listeners[0].address;
  EXPECT_EQ(listeners[0].address, "0100007F");  // 127.0.0.1, little-endian
  EXPECT_EQ(listeners[0].port, port());
  EXPECT_EQ(connect_error(AF_INET, "127.0.0.2", port()), ECONNREFUSED);
  if (ipv6_loopback_available()) {
    EXPECT_EQ(connect_error(AF_INET6, "::1", port()), ECONNREFUSED);
  }
  EXPECT_EQ(http_get(port(), "/").head.status, 200);
}

class Ipv6HostTest : public ChatServerTest {
 protected:
  void SetUp() override {
    if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback on this machine";
    ChatServerTest::SetUp();
  }
  std::vector<std::string> server_flags() const override { return {"--host", "::1"}; }
};

TEST_F(Ipv6HostTest, ListensOnlyOnTheGivenIpv6Address) {
  const auto listeners = listeners_of(server().pid());
  ASSERT_EQ(listeners.size(), 1u);
  EXPECT_TRUE(listeners[0].ipv6);
  EXPECT_EQ(listeners[0].address, "00000000000000000000000001000000");  // ::1
  EXPECT_EQ(connect_error(AF_INET6, "::1", port()), 0);
  EXPECT_EQ(connect_error(AF_INET, "127.0.0.1", port()), ECONNREFUSED);
}

// ---- HTTP/2 ----

TEST_F(HttpHardeningTest, AnH2cUpgradeIsRefusedNotSwitched) {
  const auto reply = exchange(port(), "GET / HTTP/1.1\r\n" + host_header(port()) +
                                          "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                                          "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
  EXPECT_EQ(status_of(reply.bytes), 400) << reply.bytes.substr(0, 200);
  EXPECT_TRUE(reply.closed);
  EXPECT_EQ(count_of(reply.bytes, "HTTP/1.1 "), 1) << "nothing but the one HTTP/1.1 answer";
}

TEST_F(HttpHardeningTest, TheHttp2PrefaceIsNotSpokenBack) {
  // The client preface, then an empty SETTINGS frame, as an h2 client with prior knowledge sends.
  const std::string preface = std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + std::string("\0\0\0\4\0\0\0\0\0", 9);
  const auto reply = exchange(port(), preface);
  EXPECT_TRUE(reply.closed);
  // An HTTP/2 server's first bytes are its SETTINGS frame (type 4), not an HTTP/1 status line.
  EXPECT_TRUE(reply.bytes.empty() || reply.bytes.rfind("HTTP/1.", 0) == 0) << reply.bytes.substr(0, 100);
}

class TlsHttpHardeningTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return tls_flags(); }
};

// The refusals are written by the edge itself: over TLS they must go through TLS as well.
TEST_F(TlsHttpHardeningTest, RefusalsAndH2cAreAnsweredOverTls) {
  const auto h2c = exchange(port(), "GET / HTTP/1.1\r\n" + host_header(port()) +
                                        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                                        "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
                            milliseconds(5000), false, true);
  EXPECT_EQ(status_of(h2c.bytes), 400) << h2c.bytes.substr(0, 200);
  const auto rebound = exchange(port(), "GET / HTTP/1.1\r\nHost: rebind.example\r\n\r\n", milliseconds(5000), false, true);
  EXPECT_EQ(status_of(rebound.bytes), 421) << rebound.bytes.substr(0, 200);
  const auto post = exchange(port(), "POST / HTTP/1.1\r\n" + host_header(port()) + "Content-Length: 0\r\n\r\n",
                             milliseconds(5000), false, true);
  EXPECT_EQ(status_of(post.bytes), 405) << post.bytes.substr(0, 200);
  const auto page = exchange(port(), get(port(), "/"), milliseconds(5000), false, true);
  EXPECT_EQ(status_of(page.bytes), 200) << page.bytes.substr(0, 200);
}

// ---- the Host header (DNS rebinding) ----

TEST_F(HttpHardeningTest, AnUnknownHostIsRefusedForPagesAndWebSockets) {
  auto alice = connect_as("alice");
  const std::string rebound = "rebind.example:" + std::to_string(port());
  const auto page = exchange(port(), "GET / HTTP/1.1\r\nHost: " + rebound + "\r\n\r\n");
  EXPECT_EQ(status_of(page.bytes), 421) << page.bytes.substr(0, 200);
  const auto socket = exchange(port(), upgrade_request(rebound, "Origin: http://" + rebound + "\r\n"));
  EXPECT_EQ(status_of(socket.bytes), 421) << socket.bytes.substr(0, 200);
  // X-Forwarded-Host is not believed, from anyone.
  const auto forwarded =
      exchange(port(), "GET / HTTP/1.1\r\nHost: " + rebound + "\r\nX-Forwarded-Host: localhost\r\n\r\n");
  EXPECT_EQ(status_of(forwarded.bytes), 421);
  const auto no_host = exchange(port(), "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(status_of(no_host.bytes), 400);
  expect_served("general", {alice.get()});
}

TEST_F(HttpHardeningTest, LoopbackNamesAreAccepted) {
  for (const std::string name : {"localhost", "127.0.0.1", "LOCALHOST"}) {
    const auto page = exchange(port(), "GET / HTTP/1.1\r\n" + host_header(port(), name) + "\r\n");
    EXPECT_EQ(status_of(page.bytes), 200) << name;
  }
  const auto bare = exchange(port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(status_of(bare.bytes), 200);
  const auto socket = exchange(port(), upgrade_request("localhost:" + std::to_string(port()),
                                                       "Origin: http://localhost:" + std::to_string(port()) + "\r\n"),
                               milliseconds(5000), true);
  EXPECT_EQ(status_of(socket.bytes), 101) << socket.bytes.substr(0, 200);
}

class ServerNamesTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--server-names", "chat.example.org"}; }
};

TEST_F(ServerNamesTest, ListedNamesAreAcceptedOthersStillRefused) {
  const auto listed = exchange(port(), "GET / HTTP/1.1\r\nHost: chat.example.org\r\n\r\n");
  EXPECT_EQ(status_of(listed.bytes), 200);
  const auto socket = exchange(port(), upgrade_request("chat.example.org", "Origin: http://chat.example.org\r\n"),
                               milliseconds(5000), true);
  EXPECT_EQ(status_of(socket.bytes), 101) << socket.bytes.substr(0, 200);
  const auto other = exchange(port(), "GET / HTTP/1.1\r\nHost: rebind.example\r\n\r\n");
  EXPECT_EQ(status_of(other.bytes), 421);
}

// ---- symbolic links in the web root ----

TEST_F(HttpHardeningTest, ASymlinkLeadingOutOfTheWebRootIsNotFollowed) {
  const auto root = server().web_root();
  std::ofstream(root.parent_path() / "secret.txt") << "secret outside the web root\n";
  std::filesystem::create_symlink("../secret.txt", root / "link.txt");
  std::filesystem::create_symlink(root.parent_path(), root / "up");
  std::filesystem::create_symlink("index.html", root / "alias.html");  // stays inside: served
  const auto outside = http_get(port(), "/link.txt");
  EXPECT_EQ(outside.head.status, 404) << outside.head.status_line;
  EXPECT_EQ(outside.body.find("secret"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/up/secret.txt").head.status, 404);
  const auto inside = http_get(port(), "/alias.html");
  EXPECT_EQ(inside.head.status, 200);
  EXPECT_NE(inside.body.find("integration index"), std::string::npos);
}

// ---- request desynchronisation ----

TEST_F(HttpHardeningTest, AGetWithABodyIsRefusedAndItsBodyNeverRead) {
  const std::string smuggled = get(port(), "/x.wasm");
  const std::string chunk = [&] {
    std::ostringstream size;
    size << std::hex << smuggled.size();
    return size.str() + "\r\n" + smuggled + "\r\n0\r\n\r\n";
  }();
  for (const std::string& framing :
       {std::string("Transfer-Encoding: chunked\r\n"),
        "Content-Length: " + std::to_string(chunk.size()) + "\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length: " + std::to_string(smuggled.size()) + "\r\n"}) {
    const std::string body = framing.find("chunked") != std::string::npos ? chunk : smuggled;
    const auto reply = exchange(port(), get(port(), "/", framing) + body);
    EXPECT_EQ(status_of(reply.bytes), 400) << framing << reply.bytes.substr(0, 200);
    EXPECT_EQ(count_of(reply.bytes, "HTTP/1."), 1) << framing << "the body was read as a request";
    EXPECT_TRUE(reply.closed) << framing;
  }
}

TEST_F(HttpHardeningTest, MethodsOtherThanGetAndHeadGet405) {
  for (const std::string method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    const auto reply = exchange(port(), method + " / HTTP/1.1\r\n" + host_header(port()) + "Content-Length: 0\r\n\r\n");
    EXPECT_EQ(status_of(reply.bytes), 405) << method << ": " << reply.bytes.substr(0, 200);
    EXPECT_NE(to_lower(reply.bytes).find("allow: get, head\r\n"), std::string::npos) << method;
    EXPECT_TRUE(reply.closed) << method;
  }
}

TEST_F(HttpHardeningTest, ConnectIsRefusedAtOnce) {
  // Before, the connection was held open without an answer until the 10 s request timeout.
  const auto reply = exchange(port(), "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                              milliseconds(5000));
  EXPECT_EQ(status_of(reply.bytes), 405) << reply.bytes.substr(0, 200);
  EXPECT_TRUE(reply.closed);
}

TEST_F(HttpHardeningTest, HeadIsAnsweredWithoutABody) {
  const auto reply = exchange(port(), "HEAD /x.wasm HTTP/1.1\r\n" + host_header(port()) + "\r\n");
  EXPECT_EQ(status_of(reply.bytes), 200) << reply.bytes.substr(0, 200);
  EXPECT_NE(to_lower(reply.bytes).find("content-length: 12\r\n"), std::string::npos) << reply.bytes;
  EXPECT_NE(to_lower(reply.bytes).find("content-type: application/wasm\r\n"), std::string::npos) << reply.bytes;
  EXPECT_EQ(reply.bytes.substr(reply.bytes.find("\r\n\r\n") + 4), "");
  EXPECT_TRUE(reply.closed);
}

TEST_F(HttpHardeningTest, ABrowsersCookiesFitOverLongHeadsGet431And414) {
  const auto cookies = exchange(port(), get(port(), "/", "Cookie: session=" + std::string(6 * 1024, 'c') + "\r\n"));
  EXPECT_EQ(status_of(cookies.bytes), 200) << cookies.bytes.substr(0, 200);
  const auto long_field = exchange(port(), get(port(), "/", "Cookie: session=" + std::string(9 * 1024, 'c') + "\r\n"));
  EXPECT_EQ(status_of(long_field.bytes), 431) << long_field.bytes.substr(0, 200);
  EXPECT_TRUE(long_field.closed);
  const auto long_target = exchange(port(), get(port(), "/" + std::string(5 * 1024, 'a')));
  EXPECT_EQ(status_of(long_target.bytes), 414) << long_target.bytes.substr(0, 200);
  EXPECT_TRUE(long_target.closed);
  const auto long_upgrade = exchange(port(), upgrade_request("127.0.0.1", "Cookie: " + std::string(9 * 1024, 'c') + "\r\n"));
  EXPECT_EQ(status_of(long_upgrade.bytes), 431) << long_upgrade.bytes.substr(0, 200);
}

TEST_F(HttpHardeningTest, PipelinedRequestsGetTheFirstAnswerThenAClose) {
  const auto reply = exchange(port(), get(port(), "/index.html") + get(port(), "/x.wasm") + get(port(), "/"));
  EXPECT_EQ(status_of(reply.bytes), 200) << reply.bytes.substr(0, 300);
  EXPECT_NE(to_lower(reply.bytes).find("connection: close\r\n"), std::string::npos);
  EXPECT_EQ(count_of(reply.bytes, "HTTP/1."), 1) << reply.bytes.substr(0, 600);
  EXPECT_NE(reply.bytes.find("integration index"), std::string::npos);
  EXPECT_TRUE(reply.closed);
}

// lws answers a matching If-None-Match with a 304 of its own that keeps the connection open.
TEST_F(HttpHardeningTest, ANotModifiedAnswerAlsoEndsTheConnection) {
  const auto first = http_get(port(), "/index.html");
  const std::string tag = first.head.header("etag");
  ASSERT_FALSE(tag.empty());
  const auto reply =
      exchange(port(), get(port(), "/index.html", "If-None-Match: " + tag + "\r\n") + get(port(), "/x.wasm"));
  EXPECT_EQ(status_of(reply.bytes), 304) << reply.bytes.substr(0, 300);
  EXPECT_EQ(count_of(reply.bytes, "HTTP/1."), 1) << reply.bytes.substr(0, 600);
  EXPECT_TRUE(reply.closed);
}

}  // namespace
}  // namespace chat_it
