// v2 presence and members, and seed clients beside v2 clients: a version-1 connection sees the
// seed's frames byte for byte and never a v2 frame (docs/PROTOCOL.md "Versions", "Presence").
#include "chat_fixture.hpp"

#include <algorithm>

namespace chat_it {
namespace {

using PresenceTest = ChatServerTest;

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

std::string seed_chat_line(const std::string& user, const std::string& room, const std::string& text) {
  return R"({"action":"message","message":")" + user + ": " + text + R"(","event":"chat","user":")" + user +
         R"(","room":")" + room + R"("})";
}

TEST_F(PresenceTest, V2ClientHearsArrivalsDeparturesAndDropsAndGetsMembersOnEntering) {
  auto alice = connect_v2("alice");
  auto bob = connect();
  alice->expect_no_frame(milliseconds(200));  // a connection that has not logged in is nobody yet
  bob->login("bob");                          // a seed user is present too
  alice->expect_presence("general", "bob", true);
  auto carol = connect();
  carol->login_v2("carol");
  EXPECT_EQ(sorted(carol->expect_members("general").users), (std::vector<std::string>{"alice", "bob", "carol"}));
  carol->expect_history("general");
  alice->expect_presence("general", "carol", true);

  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_room_created("jeux");
  bob->expect_rooms();  // the seed user; version-2 users hear of the room alone
  alice->expect_room_created("jeux");
  carol->expect_room_created("jeux");
  bob->send(chat::JoinRoom{"jeux"});  // leaving for another room
  bob->expect_joined("jeux");
  for (auto* c : {alice.get(), carol.get()}) c->expect_presence("general", "bob", false);
  carol->send(chat::JoinRoom{"jeux"});
  carol->expect_joined("jeux");
  EXPECT_EQ(sorted(carol->expect_members("jeux").users), (std::vector<std::string>{"bob", "carol"}));
  carol->expect_history("jeux");
  alice->expect_presence("general", "carol", false);

  auto dave = connect_v2("dave");
  alice->expect_presence("general", "dave", true);
  dave->close(1000);  // closing
  alice->expect_presence("general", "dave", false);
  auto eve = connect_v2("eve");
  alice->expect_presence("general", "eve", true);
  eve->abort();  // dropping
  alice->expect_presence("general", "eve", false);

  alice->send(chat::JoinRoom{"jeux"});
  alice->expect_joined("jeux");
  EXPECT_EQ(sorted(alice->expect_members("jeux").users), (std::vector<std::string>{"alice", "bob", "carol"}));
  alice->expect_history("jeux");
  carol->expect_presence("jeux", "alice", true);
  for (auto* c : {alice.get(), bob.get(), carol.get()}) c->expect_no_frame(milliseconds(200));
}

TEST_F(PresenceTest, SeedClientsSeeSeedFramesWhileV2ClientsGetDetails) {
  auto seed = connect();
  seed->login("seed");
  EXPECT_EQ(seed->last_raw(), R"({"action":"message","message":"Welcome, seed!","event":"logged_in","user":"seed"})");
  auto alice = connect_v2("alice");
  auto bob = connect_v2("bob");
  alice->expect_presence("general", "bob", true);

  alice->send(chat::SendMessage{"hello from v2"});
  alice->expect_chat_v2("alice", "general", "hello from v2");
  bob->expect_chat_v2("alice", "general", "hello from v2");
  seed->expect_chat("alice", "general", "hello from v2");
  EXPECT_EQ(seed->last_raw(), seed_chat_line("alice", "general", "hello from v2"));
  seed->send(chat::SendMessage{"hello from the seed"});
  seed->expect_chat("seed", "general", "hello from the seed");
  EXPECT_EQ(seed->last_raw(), seed_chat_line("seed", "general", "hello from the seed"));
  for (auto* c : {alice.get(), bob.get()}) c->expect_chat_v2("seed", "general", "hello from the seed");

  bob->abort();  // a v2 departure: the seed hears nothing of it
  alice->expect_presence("general", "bob", false);
  alice->send(chat::CreateRoom{"jeux"});
  alice->expect_room_created("jeux");
  seed->expect_rooms();
  EXPECT_EQ(seed->last_raw(), R"({"action":"rooms","rooms":["general","jeux"]})");
  seed->send(chat::JoinRoom{"jeux"});
  seed->expect_joined("jeux");
  EXPECT_EQ(seed->last_raw(), R"({"action":"message","message":"You joined jeux","event":"joined","room":"jeux"})");
  alice->expect_presence("general", "seed", false);
  alice->send(chat::JoinRoom{"jeux"});
  alice->expect_joined("jeux");
  EXPECT_EQ(sorted(alice->expect_members("jeux").users), (std::vector<std::string>{"alice", "seed"}));
  alice->expect_history("jeux");
  seed->send(chat::SendMessage{"in jeux"});
  seed->expect_chat("seed", "jeux", "in jeux");
  EXPECT_EQ(seed->last_raw(), seed_chat_line("seed", "jeux", "in jeux"));
  alice->expect_chat_v2("seed", "jeux", "in jeux");
  // No members, history or presence ever reached the seed: its every frame was checked above.
  seed->expect_no_frame(milliseconds(200));
}

}  // namespace
}  // namespace chat_it
