// lws_context_setup and lws_request on a real lws context on a libuv loop, as the server runs it,
// driven by a plain socket client: the context listens where it is told (IPv4 only for an IPv4
// address), the mount serves the web root with the MIME types lws lacks, and the request helpers
// read headers and the peer, and write a short answer. The loop runs until the client has its
// answer (bounded by a count of iterations, not by a clock).
#include <uv.h>

#include <libwebsockets.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "server/lws/descriptor_reserve.hpp"
#include "server/lws/lws_context_setup.hpp"
#include "server/lws/lws_request.hpp"

namespace chat {
namespace {

// What the test protocol's callback read from the one request it was not served a file for.
struct Seen {
  bool request = false;
  std::string host;
  std::string custom;
  std::string origin;
  std::string peer;
};
Seen seen;

int test_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  if (reason != LWS_CALLBACK_HTTP) return lws_callback_http_dummy(wsi, reason, user, in, len);
  seen.request = true;
  seen.host = header(wsi, WSI_TOKEN_HOST);
  seen.custom = custom_header(wsi, "x-test:");
  seen.origin = header(wsi, WSI_TOKEN_ORIGIN);
  seen.peer = peer_address(wsi);
  if (answer_status(wsi, "HTTP/1.1 426 Upgrade Required", "thirteen only\n", "sec-websocket-version:", "13")) return -1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

const lws_protocols kTestProtocols[] = {
    {"test", test_callback, 0, 512, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

bool whole(const std::string& answer) {
  const std::size_t body = answer.find("\r\n\r\n");
  const std::size_t length = answer.find("content-length: ");
  if (body == std::string::npos || length == std::string::npos) return false;
  return answer.size() - (body + 4) >= std::strtoul(answer.c_str() + length + 16, nullptr, 10);
}

// A context made by create_lws_context on its own loop, torn down as LwsServer does.
class LwsSetupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seen = Seen{};
    web_root_ = std::filesystem::temp_directory_path() / ("lws_setup_test." + std::to_string(::getpid()));
    std::filesystem::create_directories(web_root_);
    std::ofstream(web_root_ / "app.wasm") << "wasm";
    config_.host = "127.0.0.1";
    config_.port = 0;
    config_.web_root = web_root_.string();
    forward_lws_log();  // lws's notices into our log, which shows them only at debug
    uv_loop_init(&loop_);
  }

  void TearDown() override {
    if (context_) {
      lws_context_destroy(context_);  // first stage: detaches from the loop
      uv_run(&loop_, UV_RUN_DEFAULT);
      lws_context_destroy(context_);  // second stage: frees what the first let go
      uv_run(&loop_, UV_RUN_DEFAULT);
    }
    uv_loop_close(&loop_);
    std::filesystem::remove_all(web_root_);
  }

  // Starts the context (with the web-root mount or none); its port, or -1.
  int start(bool with_mount) {
    if (with_mount) mount_ = make_web_root_mount(config_, kTestProtocols[0].name);
    context_ = create_lws_context(config_, kTestProtocols, mount_.get(), &loop_, nullptr);
    lws_vhost* vhost = context_ ? lws_get_vhost_by_name(context_, "default") : nullptr;
    return vhost ? lws_get_vhost_listen_port(vhost) : -1;
  }

  // Sends `request` from a fresh client and runs the loop until the answer is whole (its headers
  // and content-length bytes of body) or the server closes the connection.
  std::string exchange(int port, const std::string& request) {
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::send(client, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
    std::string answer;
    for (int turn = 0; turn < 10000; ++turn) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      pollfd readable{client, POLLIN, 0};
      if (::poll(&readable, 1, 1) <= 0) continue;
      char buffer[4096];
      const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
      if (got <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(got));
      if (whole(answer)) break;
    }
    ::close(client);
    return answer;
  }

  ServerConfig config_;
  std::filesystem::path web_root_;
  uv_loop_t loop_{};
  std::unique_ptr<lws_http_mount> mount_;
  lws_context* context_ = nullptr;
};

TEST_F(LwsSetupTest, ListensOnlyOnTheIPv4AddressItIsGiven) {
  const int port = start(false);
  ASSERT_GT(port, 0);
  const int fd = find_listening_fd(port);
  ASSERT_GE(fd, 0);
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  EXPECT_EQ(address.ss_family, AF_INET);  // not [::], every address
}

TEST_F(LwsSetupTest, HelpersReadTheRequestAndWriteTheAnswer) {
  const int port = start(false);
  ASSERT_GT(port, 0);
  const std::string answer =
      exchange(port, "GET /anything HTTP/1.1\r\nHost: localhost\r\nX-Test: one\r\nX-Test: two\r\n\r\n");
  ASSERT_TRUE(seen.request);
  EXPECT_EQ(seen.host, "localhost");
  EXPECT_EQ(seen.custom.substr(0, 3), "one");
  EXPECT_EQ(seen.origin, "");  // absent
  EXPECT_EQ(seen.peer, "127.0.0.1");
  EXPECT_EQ(answer.rfind("HTTP/1.1 426 Upgrade Required\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("sec-websocket-version: 13\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("content-length: 14\r\n"), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 14), "thirteen only\n");
}

TEST_F(LwsSetupTest, TheMountServesTheWebRootWithTheWasmType) {
  const int port = start(true);
  ASSERT_GT(port, 0);
  const std::string answer = exchange(port, "GET /app.wasm HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("application/wasm"), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 4), "wasm");
  EXPECT_FALSE(seen.request);  // a file the mount serves never reaches LWS_CALLBACK_HTTP
}

TEST_F(LwsSetupTest, HandshakeLimitsFollowTheHeaderPool) {
  const auto limits = handshake_limits(false);
  EXPECT_EQ(limits.per_network, 64u);
  EXPECT_EQ(limits.pressure_at, static_cast<std::size_t>(kHeaderBuffers / 2));
  EXPECT_EQ(limits.keep_at_most, static_cast<std::size_t>(kHeaderBuffers * 3 / 4));
  EXPECT_EQ(handshake_limits(true).per_network, 0u);  // --no-limits
}

}  // namespace
}  // namespace chat
