// What survives the server process: a SIGTERM stop and a kill -9, each followed by a restart on the
// same data folder (docs/PROTOCOL.md "Version 2", "Guarantees": durable before visible, rooms durable).
#include "chat_fixture.hpp"

#include <sys/wait.h>

#include <atomic>

namespace chat_it {
namespace {

using DurabilityTest = UnlimitedChatServerTest;

// The chat lines a client receives until the server's end of the connection is gone (after a
// kill -9, the lines already in the socket are still read: they were delivered). A frame torn by
// the kill was not delivered, so it ends the list too.
std::vector<chat::MessageFrame> chat_lines_until_end(ChatTestClient& client) {
  std::vector<chat::MessageFrame> lines;
  for (;;) {
    std::optional<WsMessage> message;
    try {
      message = client.receive(kReplyTimeout);
    } catch (const HarnessFailure& torn) {
      std::cerr << "after kill -9: " << torn.what() << "\n";
      return lines;
    }
    if (!message) client.fail("the connection outlived its server by 5 s");
    if (message->kind != WsMessage::Kind::text) return lines;  // ended (or a close frame)
    auto frame = chat::decode_server_frame(message->data, chat::Limits{});
    auto* line = frame ? std::get_if<chat::MessageFrame>(&frame.value()) : nullptr;
    if (!line || line->event != chat::Event::chat) client.fail("expected a chat line, got " + preview(message->data));
    lines.push_back(*line);
  }
}

std::vector<std::string> texts_of(const std::vector<chat::ChatLine>& lines) {
  std::vector<std::string> texts;
  for (const auto& line : lines) texts.push_back(line.text);
  return texts;
}

TEST_F(DurabilityTest, SigtermThenRestartKeepsRoomsLinesAndIdOrder) {
  auto bob = connect_as("bob");  // a seed client's lines are stored too
  auto alice = connect_v2("alice");
  alice->send(chat::CreateRoom{"jeux"});
  alice->expect_room_created("jeux");
  bob->expect_rooms();  // a version-2 creator has its reply; seed clients get the new list
  std::vector<chat::ChatLine> general;
  for (int round = 0; round < 3; ++round) {
    for (auto* speaker : {alice.get(), bob.get()}) {
      const std::string text = unique_text("before the stop, " + speaker->name());
      speaker->send(chat::SendMessage{text});
      general.push_back(alice->expect_chat_v2(speaker->name(), "general", text));
      bob->expect_chat(speaker->name(), "general", text);
    }
  }
  alice->send(chat::JoinRoom{"jeux"});
  alice->expect_joined("jeux");
  alice->expect_members("jeux");
  EXPECT_TRUE(alice->expect_history("jeux").lines.empty());
  std::vector<chat::ChatLine> jeux;
  for (int i = 0; i < 3; ++i) {
    const std::string text = unique_text("jeux before the stop");
    alice->send(chat::SendMessage{text});
    jeux.push_back(alice->expect_chat_v2("alice", "jeux", text));
  }

  server().terminate();
  for (auto* c : {alice.get(), bob.get()}) c->expect_close(1001);
  const auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << (status ? ServerProcess::describe_status(*status) : "still running 5 s after SIGTERM");
  restart_server();

  ChatTestClient carol(port());
  EXPECT_EQ(carol.expect_rooms(), (std::vector<std::string>{"general", "jeux"}));
  carol.login_v2("carol");
  carol.expect_members("general");
  const auto latest = carol.expect_history("general");
  EXPECT_EQ(describe_lines(latest.lines), describe_lines(general));
  EXPECT_FALSE(latest.more);
  EXPECT_EQ(describe_lines(read_whole_history(carol, "jeux", 50)), describe_lines(jeux));

  carol.send(chat::SendMessage{"after the restart"});
  EXPECT_GT(carol.expect_chat_v2("carol", "general", "after the restart").id, general.back().id);
  carol.send(chat::JoinRoom{"jeux"});
  carol.expect_joined("jeux");
  carol.expect_members("jeux");
  EXPECT_EQ(describe_lines(carol.expect_history("jeux").lines), describe_lines(jeux));
  carol.send(chat::SendMessage{"jeux after the restart"});
  EXPECT_GT(carol.expect_chat_v2("carol", "jeux", "jeux after the restart").id, jeux.back().id);
}

// The kill lands while a sender is still streaming lines, so some are committed and delivered,
// some committed and not delivered, some neither. Only what a client received is promised.
TEST_F(DurabilityTest, KillNineKeepsEveryLineAnyClientReceived) {
  constexpr int kSent = 3000;
  constexpr std::size_t kReceivedBeforeKill = 300;
  auto alice = connect_v2("alice");
  auto bob = connect_as("bob");
  alice->expect_presence("general", "bob", true);
  std::vector<std::string> sent;
  for (int i = 0; i < kSent; ++i) sent.push_back("line " + std::to_string(i) + " before the crash");

  std::atomic<int> sends_done{0};
  JoinedThread sender([&] {
    try {
      for (const auto& text : sent) {
        bob->send(chat::SendMessage{text});
        ++sends_done;
      }
    } catch (const HarnessFailure&) {  // the server died under the burst: expected
    }
  });
  std::vector<chat::ChatLine> received;
  while (received.size() < kReceivedBeforeKill) {
    received.push_back(alice->expect_chat_v2("bob", "general", sent[received.size()]));
  }
  server().kill9();
  sender.join();
  for (const auto& line : chat_lines_until_end(*alice)) {
    received.push_back(chat::ChatLine{line.id, line.ts, line.user, std::string(line.chat_text())});
  }
  const std::size_t bob_received = chat_lines_until_end(*bob).size();
  ASSERT_TRUE(server().wait_exit(milliseconds(5000)).has_value());
  std::cerr << "kill -9 after " << sends_done << " sends; alice received " << received.size() << ", bob "
            << bob_received << "\n";

  restart_server();
  auto carol = connect_v2("carol");
  const auto stored = read_whole_history(*carol, "general", 200);
  std::cerr << "stored after the restart: " << stored.size() << "\n";
  ASSERT_GE(stored.size(), received.size()) << "lines a client received are missing after kill -9";
  // Each received line is stored once, with the id, time and text it was delivered with.
  EXPECT_EQ(describe_lines({stored.begin(), stored.begin() + static_cast<std::ptrdiff_t>(received.size())}),
            describe_lines(received));
  EXPECT_GE(stored.size(), bob_received) << "lines bob received (his own echoes) are missing";
  // Committed in send order, so what survived is the start of what was sent, nothing else.
  const auto stored_texts = texts_of(stored);
  ASSERT_LE(stored_texts.size(), sent.size());
  EXPECT_EQ(stored_texts, std::vector<std::string>(sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(stored.size())));
  EXPECT_TRUE(ids_are_consecutive(stored, 1));

  carol->send(chat::SendMessage{"after the crash"});
  EXPECT_GT(carol->expect_chat_v2("carol", "general", "after the crash").id, stored.back().id);
}

}  // namespace
}  // namespace chat_it
