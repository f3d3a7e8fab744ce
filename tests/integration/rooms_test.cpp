// create_room and join_room: acknowledgements, the rooms broadcast to everyone, refusals that
// change nothing, and isolation between rooms (docs/PROTOCOL.md "create_room", "join_room").
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using RoomsTest = ChatServerTest;
using Rooms = std::vector<std::string>;

TEST_F(RoomsTest, CreateAcksTheCreatorThenEveryoneGetsTheRoomsList) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto guest = connect();  // not logged in: it still gets the list
  alice->send(chat::CreateRoom{"jeux"});
  alice->expect_room_created("jeux");
  EXPECT_TRUE(is_documented_frame(
      alice->last_raw(), R"({"action":"message","message":"Room jeux created","event":"room_created","room":"jeux"})"));
  for (auto* c : {alice.get(), bob.get(), guest.get()}) {
    EXPECT_EQ(c->expect_rooms(), (Rooms{"general", "jeux"}));
    EXPECT_TRUE(is_documented_frame(c->last_raw(), R"({"action":"rooms","rooms":["general","jeux"]})"));
  }
  for (auto* c : {alice.get(), bob.get(), guest.get()}) c->expect_no_frame(milliseconds(100));
  expect_served("general", {alice.get(), bob.get()});  // the creator stayed in general
}

TEST_F(RoomsTest, RoomsAreListedGeneralFirstThenInCreationOrder) {
  auto alice = connect_as("alice");
  // Emoji without a variation selector: U+FE0F is default-ignorable, refused in names.
  const Rooms created = {"zeta", "alpha", "Jeux", "jeux vidéo", "Ελληνικά 🏛", "mid"};
  Rooms expected = {"general"};
  for (const auto& room : created) {
    alice->send(chat::CreateRoom{room});
    alice->expect_room_created(room);
    expected.push_back(room);
    EXPECT_EQ(alice->expect_rooms(), expected);
  }
  auto late = std::make_unique<ChatTestClient>(port());
  EXPECT_EQ(late->expect_rooms(), expected);  // the list on connect too
}

TEST_F(RoomsTest, ExistingRoomIsRefusedWithNoBroadcast) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice->send(chat::CreateRoom{"general"});
  alice->expect_refusal(ErrorCode::room_exists);
  alice->send(chat::CreateRoom{"jeux"});
  alice->expect_room_created("jeux");
  alice->expect_rooms();
  bob->expect_rooms();
  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_refusal(ErrorCode::room_exists);
  alice->expect_no_frame();
  bob->expect_no_frame(milliseconds(100));
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(RoomsTest, InvalidRoomNamesAreRefusedForCreateAndJoin) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  const std::string cases[] = {"", std::string(33, 'r'), " jeux", "jeux ", "je\nux", "je\tux",
                               "\xE2\x80\x8Bjeux", std::string("je\0ux", 5)};
  for (const auto& room : cases) {
    SCOPED_TRACE("room \"" + preview(room) + "\"");
    alice->send(chat::CreateRoom{room});
    alice->expect_refusal(ErrorCode::invalid_room);
    alice->send(chat::JoinRoom{room});
    alice->expect_refusal(ErrorCode::invalid_room);
  }
  bob->expect_no_frame();
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(RoomsTest, JoiningAMissingRoomIsRefusedAndTheClientStaysPut) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice->send(chat::JoinRoom{"nowhere"});
  alice->expect_refusal(ErrorCode::no_such_room);
  alice->send(chat::JoinRoom{"General"});  // byte for byte: not "general"
  alice->expect_refusal(ErrorCode::no_such_room);
  expect_served("general", {alice.get(), bob.get()});
}

TEST_F(RoomsTest, JoinedRoomsAreIsolatedBothWays) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_room_created("jeux");
  for (auto* c : {alice.get(), bob.get(), carol.get()}) c->expect_rooms();
  bob->send(chat::JoinRoom{"jeux"});
  bob->expect_joined("jeux");
  EXPECT_TRUE(is_documented_frame(
      bob->last_raw(), R"({"action":"message","message":"You joined jeux","event":"joined","room":"jeux"})"));
  carol->send(chat::JoinRoom{"jeux"});
  carol->expect_joined("jeux");

  alice->send(chat::SendMessage{"from general"});
  alice->expect_chat("alice", "general", "from general");
  bob->send(chat::SendMessage{"from jeux"});
  bob->expect_chat("bob", "jeux", "from jeux");
  carol->expect_chat("bob", "jeux", "from jeux");
  alice->expect_no_frame();
  bob->expect_no_frame(milliseconds(100));
  carol->expect_no_frame(milliseconds(100));

  bob->send(chat::JoinRoom{"general"});  // and back: now only general's lines
  bob->expect_joined("general");
  expect_served("general", {alice.get(), bob.get()});
  carol->expect_no_frame(milliseconds(100));
}

TEST_F(RoomsTest, JoiningTheCurrentRoomIsAcknowledgedAndChangesNothing) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice->send(chat::JoinRoom{"general"});
  alice->expect_joined("general");
  alice->send(chat::CreateRoom{"jeux"});
  alice->expect_room_created("jeux");
  alice->expect_rooms();
  bob->expect_rooms();
  for (int i = 0; i < 2; ++i) {
    bob->send(chat::JoinRoom{"jeux"});
    bob->expect_joined("jeux");
  }
  alice->send(chat::JoinRoom{"jeux"});
  alice->expect_joined("jeux");
  expect_served("jeux", {alice.get(), bob.get()});  // each received once, not twice
}

}  // namespace
}  // namespace chat_it
