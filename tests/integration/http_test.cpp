// The same port serves the web client over plain HTTP; HTTP traffic must not disturb chat sessions.
#include "chat_fixture.hpp"
#include "http_client.hpp"

#include <fstream>
#include <sstream>

namespace chat_it {
namespace {

using HttpTest = ChatServerTest;

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(HttpTest, RootServesTheIndexAsHtml) {
  const auto response = http_get(port(), "/");
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_EQ(to_lower(response.head.header("content-type")).rfind("text/html", 0), 0u)
      << "Content-Type: " << response.head.header("content-type");
  EXPECT_EQ(response.body, file_bytes(server().web_root() / "index.html"));
}

TEST_F(HttpTest, WasmIsServedAsApplicationWasm) {
  const auto response = http_get(port(), "/x.wasm");
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_EQ(response.head.header("content-type"), "application/wasm");  // streaming compile needs it exactly
  EXPECT_EQ(response.body, file_bytes(server().web_root() / "x.wasm"));
}

TEST_F(HttpTest, MissingFileIs404) {
  const auto response = http_get(port(), "/no-such-file.js");
  EXPECT_EQ(response.head.status, 404) << response.head.status_line;
}

TEST_F(HttpTest, PathOutsideTheWebRootIsNotServed) {
  const auto response = http_get(port(), "/../server.stderr");  // the file exists one level up
  EXPECT_NE(response.head.status, 200) << response.head.status_line;
}

TEST_F(HttpTest, HttpTrafficDoesNotDisturbConnectedClients) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  const auto on_ws = http_get(port(), "/ws");  // no Upgrade header: whatever the answer, it is HTTP
  std::cout << "[ observed ] plain GET /ws: " << on_ws.head.status_line << "\n";
  EXPECT_NE(on_ws.head.status, 101);
  http_get(port(), "/");
  http_get(port(), "/x.wasm");
  alice->expect_no_frame(milliseconds(100));
  bob->expect_no_frame(milliseconds(100));
  expect_served("general", {alice.get(), bob.get()});
}

}  // namespace
}  // namespace chat_it
