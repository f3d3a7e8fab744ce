// Behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto count only when the connection
// comes from a --trusted-proxy. The client address is read from the server's debug log line.
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

const char* const kForwarded = "X-Forwarded-For: 198.51.100.1, 203.0.113.7";

HandshakeOptions through_proxy(std::vector<std::string> headers) {
  HandshakeOptions options;
  options.extra_headers = std::move(headers);
  return options;
}

// Waits for the server's log to contain `text` (it is written before the client's first frame).
::testing::AssertionResult logged(const ServerProcess& server, const std::string& text) {
  const Deadline deadline = deadline_in(milliseconds(2000));
  do {
    if (server.output().find(text) != std::string::npos) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(milliseconds(20));
  } while (Clock::now() < deadline);
  return ::testing::AssertionFailure() << "no log line \"" << text << "\" in:\n" << server.output();
}

class TrustedProxyTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override {
    return {"--trusted-proxy", "127.0.0.1", "--log-level", "debug"};
  }
};

TEST_F(TrustedProxyTest, ClientAddressIsTheOneTheProxyAppended) {
  auto client = connect(through_proxy({kForwarded}));
  // 198.51.100.1 is only what the client claimed to the proxy: the proxy saw 203.0.113.7.
  EXPECT_TRUE(logged(server(), "client address 203.0.113.7 (peer 127.0.0.1)"));
}

TEST_F(TrustedProxyTest, ForwardedProtoMakesTheOwnOriginHttps) {
  auto options = through_proxy({"X-Forwarded-Proto: https"});
  options.origin = "https://127.0.0.1:" + std::to_string(port());
  auto page = connect(options);  // TLS ended at the proxy: the page is https, this hop is not
  page->login("page");
  expect_served("general", {page.get()});
}

class UntrustedPeerTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--log-level", "debug"}; }
};

TEST_F(UntrustedPeerTest, ForwardedHeadersFromAnyoneElseAreIgnored) {
  auto client = connect(through_proxy({kForwarded}));
  EXPECT_TRUE(logged(server(), "client address 127.0.0.1 (peer 127.0.0.1)"));
  EXPECT_EQ(server().output().find("client address 203.0.113.7"), std::string::npos);
  auto options = through_proxy({"X-Forwarded-Proto: https"});
  options.origin = "https://127.0.0.1:" + std::to_string(port());
  EXPECT_THROW(WsTestClient forged(port(), options), HarnessFailure);
}

}  // namespace
}  // namespace chat_it
