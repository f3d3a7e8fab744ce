// The non-blocking client's receive path, fed bytes directly (no socket).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace wskit
