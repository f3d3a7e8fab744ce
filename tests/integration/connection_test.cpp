// Connection lifecycle: names freed on clean close and on RST, stray TCP connections that never
// complete a handshake, and the silence timeout (PROTOCOL.md "Session life", point 4).
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using ConnectionTest = ChatServerTest;

TEST_F(ConnectionTest, CleanCloseFreesTheNameAtOnce) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice->close(1000);
  bob->expect_no_frame(milliseconds(100));
  auto again = connect();
  again->login("alice");
  expect_served("general", {again.get(), bob.get()});
}

TEST_F(ConnectionTest, AbruptResetFreesTheName) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice->abort();
  auto again = connect();
  // "At once" is measured from when the server can know: allow it one loop turn to see the RST.
  EXPECT_TRUE(login_when_free(*again, "alice", deadline_in(milliseconds(2000))));
  expect_served("general", {again.get(), bob.get()});
}

TEST_F(ConnectionTest, ClosingWithoutACloseFrameFreesTheName) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice.reset();  // plain close(): FIN without a WebSocket close frame
  auto again = connect();
  EXPECT_TRUE(login_when_free(*again, "alice", deadline_in(milliseconds(2000))));
  expect_served("general", {again.get(), bob.get()});
}

TEST_F(ConnectionTest, HalfOpenTcpConnectionDoesNotDisturbOthers) {
  auto alice = connect_as("alice");
  auto silent = TestSocket::connect_loopback(port(), kReplyTimeout);  // connects, never speaks
  auto bob = connect_as("bob");
  expect_served("general", {alice.get(), bob.get()});
  auto carol = connect_as("carol");  // new handshakes still complete
  expect_served("general", {alice.get(), bob.get(), carol.get()});
}

TEST_F(ConnectionTest, AbortedHandshakeDoesNotDisturbOthers) {
  auto alice = connect_as("alice");
  for (const bool reset : {true, false}) {
    auto socket = TestSocket::connect_loopback(port(), kReplyTimeout);
    ASSERT_TRUE(socket.send_all("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnec",
                                deadline_in(kReplyTimeout)));
    if (reset) socket.abort(); else socket.close();
  }
  auto bob = connect_as("bob");
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(ConnectionTest, ClientThatStopsReadingDoesNotBlockOthersWhileUnderTheLimit) {
  auto alice = connect_as("alice");
  auto stalled = connect_as("stalled");  // never reads again in this test
  auto bob = connect_as("bob");
  for (int i = 0; i < 100; ++i) alice->send(chat::SendMessage{"while one stalls " + std::to_string(i)});
  for (auto* c : {alice.get(), bob.get()}) {
    for (int i = 0; i < 100; ++i) c->expect_chat("alice", "general", "while one stalls " + std::to_string(i));
  }
  for (int i = 0; i < 100; ++i) stalled->expect_chat("alice", "general", "while one stalls " + std::to_string(i));
}

// The one slow test (10-20 s): a client that stops answering pings is dropped and its name freed,
// while an idle client that does answer is kept.
TEST_F(ConnectionTest, SlowSilentClientIsDroppedAndItsNameFreed) {
  auto silent = connect_as("silent");
  silent->set_auto_pong(false);
  auto idle = connect_as("idle");  // sends nothing either, but answers pings while we poll it
  auto probe = connect();
  const auto start = Clock::now();
  const Deadline deadline = start + milliseconds(20000);
  bool freed = false;
  while (!freed && Clock::now() < deadline) {
    idle->expect_no_frame(milliseconds(500));  // reads, so answers pings
    freed = probe->try_login("silent");
  }
  const auto seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << "[ timing   ] silent client dropped after " << seconds << " s\n";
  ASSERT_TRUE(freed) << "name still taken after 20 s";
  EXPECT_GE(seconds, 9.0) << "dropped before 10 s of silence";
  EXPECT_GE(idle->pings_received(), 1) << "an idle connection should have been pinged";
  // The silent client's socket: pings, maybe a close frame, then the end.
  std::optional<WsMessage> last;
  for (int i = 0; i < 10 && !(last && last->kind == WsMessage::Kind::ended); ++i) last = silent->receive(milliseconds(2000));
  ASSERT_TRUE(last && last->kind == WsMessage::Kind::ended) << "the silent connection was not closed";
  EXPECT_GE(silent->pings_received(), 1) << "dropped without a ping first";
  probe.reset();
  idle->login("idle");  // still connected and served
}

// --ping-after 3600: an idle client is not pinged at 5 s, as it is by default (above). (Under a
// heavy load a default ping could come after the 7 s watched here too: the test may then miss a
// server that ignores the flag, never fail one that honours it.)
class LongPingPeriodTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--ping-after", "3600"}; }
};

TEST_F(LongPingPeriodTest, AnIdleClientIsNotPingedAfterFiveSeconds) {
  auto idle = connect_as("idle");
  idle->expect_no_frame(milliseconds(7000));
  EXPECT_EQ(idle->pings_received(), 0);
  idle->login("idle");  // still connected and served
}

}  // namespace
}  // namespace chat_it
