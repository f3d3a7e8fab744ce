// Session start and nicknames: the rooms frame on connect, login, name_taken, invalid names,
// renaming, and everything refused before login (docs/PROTOCOL.md "Session life", "login", "Names").
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using LoginTest = ChatServerTest;

TEST_F(LoginTest, ConnectGetsRoomsWithGeneralFirstAndNothingElse) {
  ChatTestClient client(port());
  EXPECT_EQ(client.expect_rooms(), std::vector<std::string>{"general"});
  EXPECT_TRUE(is_documented_frame(client.last_raw(), R"({"action":"rooms","rooms":["general"]})"));
  client.expect_no_frame();
}

TEST_F(LoginTest, BareRootPathIsAWebSocketEndpointToo) {
  HandshakeOptions options;
  options.path = "/";
  auto client = connect(options);
  client->login("rootpath");
}

TEST_F(LoginTest, BrowserOriginHeaderIsAccepted) {
  HandshakeOptions options;
  options.origin = "http://127.0.0.1:" + std::to_string(port());
  auto client = connect(options);
  client->login("browser");
}

TEST_F(LoginTest, LoginIsAcceptedWithWelcomeEventAndUser) {
  auto alice = connect();
  alice->login("alice");
  EXPECT_TRUE(is_documented_frame(
      alice->last_raw(), R"({"action":"message","message":"Welcome, alice!","event":"logged_in","user":"alice"})"));
  alice->expect_no_frame();
}

TEST_F(LoginTest, TakenNameIsRefusedThenAnotherNameIsAccepted) {
  auto alice = connect_as("alice");
  auto second = connect();
  second->send(chat::Login{"alice"});
  second->expect_refusal(ErrorCode::name_taken);
  second->login("alice2");
  auto third = connect();
  third->send(chat::Login{"alice"});
  third->expect_refusal(ErrorCode::name_taken);
  for (const char* look_alike : {"Alice", "ALICE", "álice", "aIice"}) {  // case, accent, capital I for l
    third->send(chat::Login{look_alike});
    third->expect_refusal(ErrorCode::name_taken);
  }
  third->login("alicia");
  alice->expect_no_frame();
  expect_served("general", {alice.get(), second.get(), third.get()});
}

TEST_F(LoginTest, InvalidNamesAreRefusedAndLeaveTheClientLoggedOut) {
  const std::string cases[] = {
      "",
      std::string(33, 'a'),
      [] { std::string s; for (int i = 0; i < 33; ++i) s += "\xC3\xA9"; return s; }(),  // 33 x "é"
      " bob",
      "bob ",
      "\tbob",
      "bo\nb",
      "bo\tb",
      std::string("bo\0b", 4),
      "bo\x01" "b",
      "bo\x7F" "b",
      "bo\xC2\x85" "b",       // C1 control (NEL)
      "\xE2\x80\x8B" "bob",   // zero-width space at the start
      "bob\xEF\xBB\xBF",      // BOM at the end
      "\xC2\xA0" "bob",       // no-break space
      "al\xE2\x80\x8Bice",     // zero-width space inside (default-ignorable)
      "\xD0\xB0lice",          // Cyrillic a with Latin: mixed scripts
  };
  auto client = connect();
  for (const auto& name : cases) {
    SCOPED_TRACE("name \"" + preview(name) + "\"");
    client->send(chat::Login{name});
    client->expect_refusal(ErrorCode::invalid_name);
  }
  client->send(chat::SendMessage{"still logged out?"});
  client->expect_refusal(ErrorCode::not_logged_in);
}

TEST_F(LoginTest, NamesUpTo32CodePointsOfAnyScriptAreAccepted) {
  std::string accents;
  for (int i = 0; i < 32; ++i) accents += "\xC3\xA9";  // 64 bytes, 32 code points
  for (const std::string& name : {std::string(32, 'z'), accents, std::string("Zoë"), std::string("Дмитрий"),
                                 std::string("李雷"), std::string("a b"), std::string("😀"), std::string("a: b")}) {
    SCOPED_TRACE(name);
    auto client = connect();
    client->login(name);
  }
}

TEST_F(LoginTest, NameWithColonSpaceIsSplitByUserNotByColon) {
  auto odd = connect_as("a: b");
  odd->send(chat::SendMessage{"c: d"});
  odd->expect_chat("a: b", "general", "c: d");
  const auto frame = chat::decode_server_frame(odd->last_raw(), {});
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(std::get<chat::MessageFrame>(frame.value()).chat_text(), "c: d");
}

TEST_F(LoginTest, ReloginRenamesAndFreesTheOldName) {
  auto alice = connect_as("alice");
  alice->login("alicia");
  auto other = connect();
  other->send(chat::Login{"alicia"});
  other->expect_refusal(ErrorCode::name_taken);
  other->login("alice");  // the old name is free at once
  expect_served("general", {alice.get(), other.get()});  // lines carry the new names
}

TEST_F(LoginTest, ReloginUnderOwnNameIsAcknowledgedAndChangesNothing) {
  auto alice = connect_as("alice");
  alice->login("alice");
  auto other = connect();
  other->send(chat::Login{"alice"});
  other->expect_refusal(ErrorCode::name_taken);
  other->login("bob");
  expect_served("general", {alice.get(), other.get()});
}

TEST_F(LoginTest, RefusedReloginKeepsTheCurrentName) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  alice->send(chat::Login{"bob"});
  alice->expect_refusal(ErrorCode::name_taken);
  alice->send(chat::Login{" "});
  alice->expect_refusal(ErrorCode::invalid_name);
  expect_served("general", {alice.get(), bob.get()});  // still "alice"
}

TEST_F(LoginTest, EverythingBeforeLoginIsRefusedWithNoEffect) {
  auto bob = connect_as("bob");
  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_room_created("jeux");
  bob->expect_rooms();
  auto guest = connect();
  guest->send(chat::SendMessage{"hello?"});
  guest->expect_refusal(ErrorCode::not_logged_in);
  guest->send(chat::CreateRoom{"secret"});
  guest->expect_refusal(ErrorCode::not_logged_in);
  guest->send(chat::JoinRoom{"jeux"});
  guest->expect_refusal(ErrorCode::not_logged_in);
  guest->send(chat::JoinRoom{"nowhere"});
  guest->expect_refusal(ErrorCode::not_logged_in);
  bob->expect_no_frame();  // no chat line, no rooms broadcast
  bob->send(chat::CreateRoom{"secret"});  // it was not created
  bob->expect_room_created("secret");
  EXPECT_EQ(bob->expect_rooms(), (std::vector<std::string>{"general", "jeux", "secret"}));
  EXPECT_EQ(guest->expect_rooms(), (std::vector<std::string>{"general", "jeux", "secret"}));
  guest->login("guest");
  expect_served("general", {bob.get(), guest.get()});  // the guest was not moved to jeux
}

}  // namespace
}  // namespace chat_it
