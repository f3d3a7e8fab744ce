// The kit's handshake pieces and ws:// targets.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "tests/wskit/handshake.hpp"
#include "tests/wskit/ws_target.hpp"

namespace wskit {
namespace {

constexpr const char* kExampleKey = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 section 1.3

HttpHead head_of(const std::string& text) {
  const auto head = parse_http_head(text);
  EXPECT_TRUE(head) << text;
  return head.value_or(HttpHead{});
}

TEST(WsCodec, AcceptMatchesRfc6455Example) {
  EXPECT_EQ(websocket_accept(kExampleKey), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  const std::string ok = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
  EXPECT_EQ(upgrade_problem(head_of(ok), kExampleKey), "");
  EXPECT_NE(upgrade_problem(head_of(ok), "another key"), "");
  EXPECT_NE(upgrade_problem(head_of("HTTP/1.1 404 Not Found"), kExampleKey), "");
  EXPECT_NE(upgrade_problem(head_of(ok + "\r\nSec-WebSocket-Extensions: permessage-deflate"), kExampleKey), "");
  EXPECT_FALSE(parse_http_head("SSH-2.0-OpenSSH_9.2"));
}

TEST(WsCodec, KeysAreSixteenBytesInBase64) {
  EXPECT_EQ(websocket_key(7).size(), 24u);
  EXPECT_EQ(websocket_key(7), websocket_key(7));
  EXPECT_NE(websocket_key(7), websocket_key(8));
  EXPECT_EQ(random_websocket_key().size(), 24u);
}

TEST(WsCodec, UpgradeRequestCarriesTheKeyThenTheExtraLines) {
  EXPECT_EQ(upgrade_request("127.0.0.1:80", "/ws", "K", {"Origin: http://a"}),
            "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:80\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: K\r\nSec-WebSocket-Version: 13\r\nOrigin: http://a\r\n\r\n");
}

TEST(WsTarget, ReadsWsUrls) {
  WsTarget target;
  std::string error;
  ASSERT_TRUE(parse_ws_url("ws://127.0.0.2:8081/chat", target, error)) << error;
  EXPECT_EQ(target.host_port, "127.0.0.2:8081");
  EXPECT_EQ(target.path, "/chat");
  EXPECT_EQ(ntohs(target.address.sin_port), 8081);
  ASSERT_TRUE(parse_ws_url("ws://127.0.0.1:9", target, error)) << error;
  EXPECT_EQ(target.path, "/ws");
  EXPECT_FALSE(parse_ws_url("wss://127.0.0.1:9/ws", target, error));
  EXPECT_FALSE(parse_ws_url("ws://localhost:9/ws", target, error));
  EXPECT_FALSE(parse_ws_url("ws://127.0.0.1/ws", target, error));
  EXPECT_FALSE(parse_ws_url("ws://127.0.0.1:x/ws", target, error));
}

}  // namespace
}  // namespace wskit
