// The non-blocking client's receive path, fed bytes directly (no socket), and its source address
// on a real loopback socket.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "tests/wskit/ws_connection.hpp"

namespace wskit {
namespace {

class RecordingOwner : public ConnectionOwner {
 public:
  std::vector<std::string> texts;
  std::string failure;
  void on_open(WsConnection&, std::int64_t) override {}
  void on_text(WsConnection&, std::string_view payload, std::int64_t) override { texts.emplace_back(payload); }
  void on_failed(WsConnection&, const std::string& why) override { failure = why; }
};

TEST(WsConnection, JoinsFragmentsAndKeepsAnIncompleteTail) {
  RecordingOwner owner;
  WsConnection connection(owner, 1);
  connection.force_open();
  // Text "abc" not final, continuation "de", final continuation "f", then a whole frame "gh".
  std::string bytes = {'\x01', '\x03', 'a', 'b', 'c', '\x00', '\x02', 'd', 'e', '\x80', '\x01', 'f',
                       '\x81', '\x02', 'g', 'h'};
  std::size_t used = 0;
  connection.consume(bytes.data(), bytes.size() - 1, 0, used);  // the last frame is cut short
  EXPECT_EQ(owner.texts, std::vector<std::string>{"abcdef"});
  EXPECT_EQ(used, bytes.size() - 4);
  connection.consume(bytes.data() + used, bytes.size() - used, 0, used);
  EXPECT_EQ(owner.texts, (std::vector<std::string>{"abcdef", "gh"}));
  EXPECT_EQ(connection.frames_received(), 2u);
  EXPECT_TRUE(owner.failure.empty()) << owner.failure;
}

TEST(WsConnection, AMaskedServerFrameFailsTheConnectionSayingWhy) {
  RecordingOwner owner;
  WsConnection connection(owner, 1);
  connection.force_open();
  std::string bytes;
  append_frame(bytes, Opcode::text, "hi", 0x01020304);
  std::size_t used = 0;
  connection.consume(bytes.data(), bytes.size(), 0, used);
  EXPECT_TRUE(owner.texts.empty());
  EXPECT_NE(owner.failure.find("masked"), std::string::npos) << owner.failure;
  EXPECT_EQ(connection.state(), WsConnection::State::closed);
}

// A large load spreads over 127.0.0.x: the server must see the address the client was bound to.
TEST(WsConnection, ConnectsFromTheSourceAddressItIsBoundTo) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t size = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size);
  WsTarget target;
  std::string error;
  ASSERT_TRUE(make_target("127.0.0.1", ntohs(address.sin_port), target, error)) << error;

  RecordingOwner owner;
  WsConnection connection(owner, 1);
  in_addr source{};
  ::inet_pton(AF_INET, "127.0.0.3", &source);
  connection.bind_source(source.s_addr);
  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  ASSERT_TRUE(connection.start(target, epoll_fd, error)) << error;

  pollfd waiting{listener, POLLIN, 0};
  ASSERT_EQ(::poll(&waiting, 1, 10'000), 1);  // a generous deadline, not a sleep
  sockaddr_in peer{};
  size = sizeof peer;
  const int accepted = ::accept(listener, reinterpret_cast<sockaddr*>(&peer), &size);
  ASSERT_GE(accepted, 0);
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &peer.sin_addr, text, sizeof text);
  EXPECT_STREQ(text, "127.0.0.3");
  ::close(accepted);
  ::close(epoll_fd);
  ::close(listener);
}

}  // namespace
}  // namespace wskit
