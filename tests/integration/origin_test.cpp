// The Origin rule at the WebSocket handshake (PROTOCOL.md, "Transport security and origins"):
// no Origin and the page's own origin are served, listed origins too, any other page gets a 403.
#include "chat_fixture.hpp"
#include "test_certificate.hpp"

namespace chat_it {
namespace {

HandshakeOptions from(const std::string& origin, bool tls = false) {
  HandshakeOptions options;
  options.origin = origin;
  options.tls = tls;
  return options;
}

::testing::AssertionResult refused_with_403(std::uint16_t port, const HandshakeOptions& options) {
  return refused_with_status(port, options, 403);
}

std::string self(std::uint16_t port, const char* scheme = "http") {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port);
}

using OriginTest = ChatServerTest;

TEST_F(OriginTest, AnotherSitesPageIsRefusedAtTheHandshake) {
  auto alice = connect_as("alice");
  const std::string other_port = "http://127.0.0.1:" + std::to_string(port() == 65535 ? 1 : port() + 1);
  for (const std::string& origin : {std::string("http://evil.example"), other_port, self(port(), "https"),
                                    std::string("null"), self(port()) + ".evil.example"}) {
    EXPECT_TRUE(refused_with_403(port(), from(origin)));
  }
  expect_served("general", {alice.get()});  // nobody else noticed
}

TEST_F(OriginTest, ThePagesOwnOriginAndNoOriginAreServed) {
  auto page = connect(from(self(port())));
  page->login("page");
  auto native = connect();  // the harness sends no Origin, like the seed's Python clients
  native->login("native");
  expect_served("general", {page.get(), native.get()});
}

class AllowedOriginsTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override {
    return {"--allowed-origins", "https://chat.example.org, http://localhost:3000"};
  }
};

TEST_F(AllowedOriginsTest, ListedOriginsAreServedOthersRefused) {
  auto listed = connect(from("https://chat.example.org"));
  listed->login("listed");
  auto dev = connect(from("http://localhost:3000"));
  dev->login("dev");
  auto own = connect(from(self(port())));  // the list adds to the page's own origin
  own->login("own");
  expect_served("general", {listed.get(), dev.get(), own.get()});
  EXPECT_TRUE(refused_with_403(port(), from("http://chat.example.org")));
  EXPECT_TRUE(refused_with_403(port(), from("http://localhost:3001")));
}

class TlsOriginTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return tls_flags(); }
};

TEST_F(TlsOriginTest, OverWssTheOwnOriginIsHttps) {
  auto page = connect(from(self(port(), "https"), true));
  page->login("page");
  expect_served("general", {page.get()});
  EXPECT_TRUE(refused_with_403(port(), from(self(port()), true)));
}

}  // namespace
}  // namespace chat_it
