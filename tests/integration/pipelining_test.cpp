// A client may send requests without waiting for the replies (the seed server handled a
// connection's frames one after another): over a real socket, every pair of actions is written in
// one TCP send, and their replies must come in the order sent, for seed and version-2 clients.
#include <functional>

#include "chat_fixture.hpp"
#include "kit_names.hpp"

namespace chat_it {
namespace {

using chat::Event;
using chat::MessageFrame;
using chat::ServerFrame;
using Reply = std::function<bool(const ServerFrame&)>;

struct Action {
  const char* name;
  chat::ClientFrame frame;
  Reply reply;
};

Reply event(Event wanted, const std::string& room) {
  return [wanted, room](const ServerFrame& frame) {
    const auto* message = std::get_if<MessageFrame>(&frame);
    return message && !message->error && message->event == wanted && (room.empty() || message->room == room);
  };
}

Reply line(const std::string& seed_text) {
  return [seed_text](const ServerFrame& frame) {
    const auto* message = std::get_if<MessageFrame>(&frame);
    return message && message->event == Event::chat && message->message == seed_text;
  };
}

// The actions of one pair; `tag` makes the rooms it creates its own.
std::vector<Action> actions(const std::string& user, int version, const std::string& tag) {
  const std::string text = "hello " + tag;
  return {
      {"send_message", chat::SendMessage{text}, line(user + ": " + text)},
      {"create_room", chat::CreateRoom{"r" + tag}, event(Event::room_created, "r" + tag)},
      {"join_room", chat::JoinRoom{"side"}, event(Event::joined, "side")},
      {"login", chat::Login{user, version}, event(Event::logged_in, "")},
      {"history", chat::History{"general", 0, 5},
       [](const ServerFrame& frame) { return std::holds_alternative<chat::HistoryFrame>(frame); }},
  };
}

// Reads until every reply was seen, each after the one before; any refusal fails.
void expect_replies_in_order(ChatTestClient& client, const std::vector<Reply>& replies, const std::string& what) {
  std::size_t next = 0;
  while (next < replies.size()) {
    const ServerFrame frame = client.next_json();
    const auto* message = std::get_if<MessageFrame>(&frame);
    if (message && message->error) client.fail(what + ": refused: " + client.last_raw());
    if (replies[next](frame)) ++next;
  }
}

// Without limits: the pairs create 25 rooms from one address, over the per-address limit.
class PipeliningTest : public UnlimitedChatServerTest, public testing::WithParamInterface<int> {};

TEST_P(PipeliningTest, EveryPairOfActionsTakesEffectInTheOrderSent) {
  const int version = GetParam();
  {
    auto setup = connect_as("setup");
    setup->send(chat::CreateRoom{"side"});
    setup->expect_room_created("side");
  }
  const std::size_t count = actions("x", version, "").size();
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < count; ++j) {
      const std::string tag = std::to_string(version) + "-" + std::to_string(i) + "-" + std::to_string(j);
      const std::string user = "u" + tag;
      auto client = connect();
      if (version == chat::kCurrentVersion) {
        client->login_v2(user);
      } else {
        client->login(user);
      }
      const Action first = actions(user, version, "a" + tag)[i];
      const Action second = actions(user, version, "b" + tag)[j];
      // Both frames in one write: the server reads them together.
      client->send_raw(encode_frame(Opcode::text, chat::encode(first.frame)) +
                       encode_frame(Opcode::text, chat::encode(second.frame)));
      expect_replies_in_order(*client, {first.reply, second.reply},
                              std::string(first.name) + " then " + second.name);
    }
  }
}

// The two cases found by hand, as a seed client would meet them.
TEST_P(PipeliningTest, SenderReceivesItsOwnLineBeforeJoiningElsewhere) {
  auto alice = connect();
  GetParam() == chat::kCurrentVersion ? alice->login_v2("alice") : alice->login("alice");
  auto bob = connect_as("bob");
  alice->send_raw(encode_frame(Opcode::text, chat::encode(chat::CreateRoom{"jeux"})) +
                  encode_frame(Opcode::text, chat::encode(chat::JoinRoom{"jeux"})) +
                  encode_frame(Opcode::text, chat::encode(chat::SendMessage{"in jeux"})) +
                  encode_frame(Opcode::text, chat::encode(chat::JoinRoom{"general"})));
  expect_replies_in_order(*alice, {event(Event::room_created, "jeux"), event(Event::joined, "jeux"),
                                   line("alice: in jeux"), event(Event::joined, "general")},
                          "create, join, send, join back");
  bob->expect_rooms();
  bob->send(chat::SendMessage{"still here"});
  bob->expect_chat("bob", "general", "still here");
}

INSTANTIATE_TEST_SUITE_P(BothVersions, PipeliningTest, testing::Values(chat::kSeedVersion, chat::kCurrentVersion),
                         [](const testing::TestParamInfo<int>& info) { return "v" + std::to_string(info.param); });

}  // namespace
}  // namespace chat_it

namespace chat_it {
namespace {

// 1.2 MB of lines pipelined behind a room creation, in one write: however much of it the server
// reads while the creation is stored (it stops reading a connection past 64 KiB of waiting
// requests), the connection is not closed and every line arrives, in order, after the room.
TEST_F(UnlimitedChatServerTest, ALongPipelineIsReadAtTheServersPaceAndKeptInOrder) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  constexpr int kLines = 300;
  const std::string filler(4000, 'x');
  std::string burst = encode_frame(Opcode::text, chat::encode(chat::CreateRoom{"slow"}));
  for (int i = 0; i < kLines; ++i) {
    burst += encode_frame(Opcode::text, chat::encode(chat::SendMessage{std::to_string(i) + " " + filler}));
  }
  JoinedThread writer([&] { alice->send_raw(burst); });
  alice->expect_room_created("slow");
  bob->expect_rooms();
  for (int i = 0; i < kLines; ++i) {
    bob->expect_chat("alice", "general", std::to_string(i) + " " + filler);
  }
  writer.join();
  alice->expect_rooms();
  for (int i = 0; i < kLines; ++i) alice->expect_chat("alice", "general", std::to_string(i) + " " + filler);
  expect_served("general", {alice.get(), bob.get()});
}

}  // namespace
}  // namespace chat_it
