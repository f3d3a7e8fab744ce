// Rooms are a shared resource an attacker can try to exhaust: the cap and what a newcomer's list
// can grow to, creations per client address, deletion by the creator, and a storm of creations
// from many addresses that must not drop, delay or lose the lines of clients chatting alongside.
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using Rooms = std::vector<std::string>;

class RoomCapTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--max-rooms", "3"}; }
};

TEST_F(RoomCapTest, CreationsBeyondTheCapAreRefusedAndTheCapSurvivesARestart) {
  auto alice = connect_v2("alice");  // a version-2 creator gets its replies, no room lists
  for (const char* room : {"one", "two"}) {
    alice->send(chat::CreateRoom{room});
    alice->expect_room_created(room);
  }
  alice->send(chat::CreateRoom{"three"});
  const auto refused = alice->expect_refusal(ErrorCode::too_many_rooms);
  EXPECT_NE(refused.message.find("3 rooms"), std::string::npos) << refused.message;
  alice.reset();
  server().stop();
  restart_server();
  ChatTestClient newcomer(port());
  EXPECT_EQ(newcomer.expect_rooms(), (Rooms{"general", "one", "two"}));
  newcomer.login("bob");
  newcomer.send(chat::CreateRoom{"three"});
  newcomer.expect_refusal(ErrorCode::too_many_rooms);
}

using RoomLimitsTest = ChatServerTest;

// The next frame that is not a presence frame (arrivals in general come in an order of their own),
// which must be a `Frame`.
template <class Frame>
Frame next_but_presence(ChatTestClient& client) {
  for (;;) {
    chat::ServerFrame frame = client.next_json();
    if (std::holds_alternative<chat::PresenceFrame>(frame)) continue;
    if (auto* wanted = std::get_if<Frame>(&frame)) return *wanted;
    client.fail("unexpected frame " + client.last_raw());
  }
}

// 665 connections of one address made 10 021 rooms in 3.5 s: the limit is per address now.
TEST_F(RoomLimitsTest, OneAddressCreatesAtMostItsBurstWhateverItsConnections) {
  std::vector<std::unique_ptr<ChatTestClient>> clients;
  int created = 0;
  int limited = 0;
  for (int i = 0; i < 14; ++i) {
    HandshakeOptions options;
    options.source = "127.0.0.7";
    clients.push_back(connect(options));
    clients.back()->login("maker" + std::to_string(i));
    clients.back()->send(chat::CreateRoom{"made" + std::to_string(i)});
    const chat::MessageFrame reply = clients.back()->expect_message();
    if (reply.event == chat::Event::room_created) ++created;
    if (reply.error == ErrorCode::rate_limited) {
      ++limited;
      EXPECT_GT(reply.retry_after_ms, 0);
    }
  }
  EXPECT_EQ(created, 10);
  EXPECT_EQ(limited, 4);
  HandshakeOptions elsewhere;
  elsewhere.source = "127.0.0.8";
  auto other = connect(elsewhere);
  other->login("other");
  other->send(chat::CreateRoom{"theirs"});
  other->expect_room_created("theirs");
}

TEST_F(RoomLimitsTest, TheCreatorDeletesARoomMembersReturnToGeneralAndItStaysGone) {
  auto owner = connect_as("owner");
  auto seed_member = connect_as("seedy");
  auto modern_member = connect_v2("modern");
  auto bystander = connect_v2("bystander");
  modern_member->expect_presence("general", "bystander", true);
  owner->send(chat::CreateRoom{"jeux"});
  owner->expect_room_created("jeux");
  for (auto* c : {modern_member.get(), bystander.get()}) c->expect_room_created("jeux");
  for (auto* c : {owner.get(), seed_member.get()}) c->expect_rooms();
  seed_member->send(chat::JoinRoom{"jeux"});
  seed_member->expect_joined("jeux");
  for (auto* c : {modern_member.get(), bystander.get()}) c->expect_presence("general", "seedy", false);
  modern_member->send(chat::JoinRoom{"jeux"});
  modern_member->expect_joined("jeux");
  modern_member->expect_members("jeux");
  modern_member->expect_history("jeux");
  bystander->expect_presence("general", "modern", false);
  seed_member->send(chat::SendMessage{"a line that goes with the room"});
  seed_member->expect_chat("seedy", "jeux", "a line that goes with the room");
  modern_member->expect_chat_v2("seedy", "jeux", "a line that goes with the room");

  seed_member->send(chat::DeleteRoom{"jeux"});
  seed_member->expect_refusal(ErrorCode::not_allowed);
  owner->send(chat::DeleteRoom{"general"});
  owner->expect_refusal(ErrorCode::not_allowed);
  owner->send(chat::DeleteRoom{"jeux"});
  const chat::MessageFrame ack = owner->expect_message();
  EXPECT_EQ(ack.event, chat::Event::room_deleted) << owner->last_raw();
  EXPECT_EQ(owner->expect_rooms(), (Rooms{"general"}));
  for (auto* member : {seed_member.get(), modern_member.get()}) {
    const chat::MessageFrame told = next_but_presence<chat::MessageFrame>(*member);
    EXPECT_EQ(told.event, chat::Event::room_deleted) << member->last_raw();
    EXPECT_EQ(told.room, "jeux");
    EXPECT_EQ(next_but_presence<chat::MessageFrame>(*member).event, chat::Event::joined) << member->last_raw();
  }
  EXPECT_EQ(next_but_presence<chat::MembersFrame>(*modern_member).room, "general");
  EXPECT_EQ(next_but_presence<chat::HistoryFrame>(*modern_member).room, "general");
  EXPECT_EQ(seed_member->expect_rooms(), (Rooms{"general"}));
  EXPECT_EQ(next_but_presence<chat::MessageFrame>(*bystander).event, chat::Event::room_deleted) << bystander->last_raw();
  expect_served("general", {owner.get(), seed_member.get()});

  for (auto* c : {owner.get(), seed_member.get(), modern_member.get(), bystander.get()}) c->close();
  server().stop();
  restart_server();
  ChatTestClient newcomer(port());
  EXPECT_EQ(newcomer.expect_rooms(), (Rooms{"general"}));
  newcomer.login("newcomer");
  newcomer.send(chat::JoinRoom{"jeux"});
  newcomer.expect_refusal(ErrorCode::no_such_room);
  // Created again, it starts with no history.
  newcomer.send(chat::CreateRoom{"jeux"});
  newcomer.expect_room_created("jeux");
  auto reader = connect_v2("reader");
  reader->send(chat::History{"jeux", 0, 50});
  EXPECT_TRUE(reader->expect_history("jeux").lines.empty());
}

// Rooms created from 40 addresses as fast as they allow, while two seed clients chat: the seed
// clients get the list at most about once a second (not once per room), no one is dropped and
// every line arrives once, in order.
TEST_F(RoomLimitsTest, ARoomStormFromManyAddressesNeitherFloodsNorDropsHonestClients) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  constexpr int kAddresses = 40;
  constexpr int kRoomsEach = 10;
  const auto started = std::chrono::steady_clock::now();
  std::string storm_failure;
  JoinedThread storm([&] {
    try {
      for (int a = 0; a < kAddresses; ++a) {
        HandshakeOptions options;
        options.source = "127.0.1." + std::to_string(a + 1);
        auto maker = connect(options);
        maker->send(chat::Login{"storm" + std::to_string(a), chat::kCurrentVersion});  // general's lines may come first
        for (int r = 0; r < kRoomsEach; ++r) {
          maker->send(chat::CreateRoom{"s" + std::to_string(a) + "-" + std::to_string(r)});
        }
        for (int created = 0; created < kRoomsEach;) {  // its own rooms, among others' and its history
          const chat::ServerFrame frame = maker->next_json();
          const auto* message = std::get_if<chat::MessageFrame>(&frame);
          if (message && message->error) maker->fail("refused: " + maker->last_raw());
          if (message && message->event == chat::Event::chat) continue;
          const std::string mine = "s" + std::to_string(a) + "-";
          created += message && message->event == chat::Event::room_created && message->room.rfind(mine, 0) == 0;
        }
      }
    } catch (const std::exception& error) {
      storm_failure = error.what();
    }
  });
  int lists = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string text = "honest " + std::to_string(i);
    alice->send(chat::SendMessage{text});
    for (auto* c : {alice.get(), bob.get()}) {
      for (;;) {
        const chat::ServerFrame frame = c->next_json();
        if (std::holds_alternative<chat::RoomsFrame>(frame)) {
          ++lists;
          continue;
        }
        const auto& line = std::get<chat::MessageFrame>(frame);
        EXPECT_EQ(line.message, "alice: " + text) << c->last_raw();
        break;
      }
    }
  }
  storm.join();
  ASSERT_EQ(storm_failure, "");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (auto* c : {alice.get(), bob.get()}) {
    for (;;) {  // the last list, up to a second after the last room
      const chat::ServerFrame frame = c->next_json();
      ASSERT_TRUE(std::holds_alternative<chat::RoomsFrame>(frame)) << c->last_raw();
      ++lists;
      if (std::get<chat::RoomsFrame>(frame).rooms.size() == 1 + kAddresses * kRoomsEach) break;
    }
  }
  std::printf("room storm: %d rooms in %.2f s, %d lists to two seed clients\n", kAddresses * kRoomsEach, seconds, lists);
  EXPECT_LE(lists, 2 * (static_cast<int>(seconds) + 3)) << "one list per room would be " << 2 * kAddresses * kRoomsEach;
  expect_served("general", {alice.get(), bob.get()});
}

}  // namespace
}  // namespace chat_it
