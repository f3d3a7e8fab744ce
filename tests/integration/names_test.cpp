// Names that impersonate or vanish (issue 12, item 4), over real sockets: look-alikes of a name in
// use get name_taken, invisible or reordering names get invalid_name, room names follow the same
// rules, and a store written under the old rules is migrated at start (docs/PROTOCOL.md "Names").
#include <stdlib.h>

#include <chrono>
#include <filesystem>

#include "chat_fixture.hpp"
#include "server/sha256_hasher.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using NamesTest = ChatServerTest;

const char* const kBold = "\xF0\x9D\x90\x9A\xF0\x9D\x90\xA5\xF0\x9D\x90\xA2\xF0\x9D\x90\x9C\xF0\x9D\x90\x9E";  // 𝐚𝐥𝐢𝐜𝐞
const char* const kFullWidth = "\xEF\xBC\xA1\xEF\xBC\xAC\xEF\xBC\xA9\xEF\xBC\xA3\xEF\xBC\xA5";                  // ＡＬＩＣＥ

void expect_refused_because(ChatTestClient& client, const std::string& name, ErrorCode code, const std::string& why) {
  SCOPED_TRACE("name \"" + preview(name) + "\"");
  client.send(chat::Login{name});
  const chat::MessageFrame refusal = client.expect_refusal(code);
  EXPECT_NE(refusal.message.find(why), std::string::npos) << refusal.message;
}

TEST_F(NamesTest, LookAlikesOfANameInUseAreRefusedWithNameTaken) {
  auto alice = connect_as("alice");
  auto oscar = connect_as("oscar");
  auto mallory = connect();
  for (const std::string name : {"Alice", kBold, kFullWidth, "\xE1\xBA\xA1lice" /* ạ */, "aIice"}) {
    expect_refused_because(*mallory, name, ErrorCode::name_taken, "");
  }
  expect_refused_because(*mallory, "\xD6\x85scar", ErrorCode::name_taken, "");  // Armenian օ
  expect_refused_because(*mallory, "\xC9\x91lice", ErrorCode::invalid_name, "not used in names");  // ɑ
  expect_refused_because(*mallory, "\xE1\xB4\x80lice", ErrorCode::invalid_name, "not used in names");  // ᴀ
  mallory->login("mallory");
  alice->expect_no_frame();
  expect_served("general", {alice.get(), oscar.get(), mallory.get()});
}

TEST_F(NamesTest, NamesThatShowNothingOrReorderAreRefusedWithInvalidName) {
  auto alice = connect_as("alice");
  auto mallory = connect();
  expect_refused_because(*mallory, "\xE2\x80\xAE" "ecila", ErrorCode::invalid_name, "bidirectional control");
  const char* const invisible[] = {
      "\xE2\xA0\x80",      // U+2800 braille blank
      "\xE3\x85\xA4",      // U+3164 Hangul filler
      "\xE1\x85\x9F",      // U+115F
      "\xEF\xBE\xA0",      // U+FFA0
      "\xE2\x81\xA1",      // U+2061 function application
      "\xE1\xA0\x8E",      // U+180E Mongolian vowel separator
      "\xF3\xA0\x80\xA0",  // U+E0020 tag space
      "\xCD\x8F",          // U+034F combining grapheme joiner
  };
  for (const std::string c : invisible) {
    expect_refused_because(*mallory, c + c, ErrorCode::invalid_name, "invisible character");
  }
  expect_refused_because(*mallory, "\xE2\x80\x8E\xE2\x80\x8E", ErrorCode::invalid_name, "bidirectional control");  // U+200E
  mallory->send(chat::SendMessage{"still logged out?"});
  mallory->expect_refusal(ErrorCode::not_logged_in);
  alice->expect_no_frame();
  expect_served("general", {alice.get()});
}

// Case used to be folded before the look-alike table, so Greek nu collided with Latin n: now
// "νick" is refused for mixing scripts (not as taken), and an all-Greek name is free.
TEST_F(NamesTest, GreekNuIsNotTakenByNickButMixingScriptsIsRefused) {
  auto nick = connect_as("nick");
  auto other = connect();
  expect_refused_because(*other, "\xCE\xBDick", ErrorCode::invalid_name, "mixes scripts that are not written together (Greek, Latin)");
  other->login("\xCE\xBD\xCE\xAF\xCE\xBA\xCE\xB7");  // νίκη
  expect_served("general", {nick.get(), other.get()});
}

TEST_F(NamesTest, SeedNamesStillWorkSideBySideAndCaseStillCollides) {
  std::vector<std::unique_ptr<ChatTestClient>> clients;
  for (const char* name : {"alice", "Bob_2", "Zo\xC3\xAB", "\xCE\x95\xCE\xBB\xCE\xAD\xCE\xBD\xCE\xB7",
                           "\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8\xD0\xB9", "\xE6\x9D\x8E\xE9\x9B\xB7"}) {
    clients.push_back(connect_as(name));
  }
  auto late = connect();
  late->send(chat::Login{"ALICE"});
  late->expect_refusal(ErrorCode::name_taken);
  std::vector<ChatTestClient*> members;
  for (auto& client : clients) members.push_back(client.get());
  expect_served("general", members);
}

TEST_F(NamesTest, RoomNamesAreUniqueByTheSameKeysAndRefusedByTheSameRules) {
  auto alice = connect_as("alice");
  alice->send(chat::CreateRoom{"caf\xC3\xA9"});
  alice->expect_room_created("caf\xC3\xA9");
  alice->expect_rooms();
  for (const std::string room : {"Cafe", "CAF\xC3\x89", "\xEF\xBD\x83\xEF\xBD\x81\xEF\xBD\x86\xEF\xBD\x85", "G\xC3\xA9n\xC3\xA9ral"}) {
    SCOPED_TRACE("room \"" + preview(room) + "\"");
    alice->send(chat::CreateRoom{room});
    alice->expect_refusal(ErrorCode::room_exists);
  }
  for (const std::string room : {"\xE2\x80\xAEmoor", "\xE2\xA0\x80\xE2\xA0\x80", "g\xD0\xB0mes" /* Cyrillic а */}) {
    SCOPED_TRACE("room \"" + preview(room) + "\"");
    alice->send(chat::CreateRoom{room});
    alice->expect_refusal(ErrorCode::invalid_room);
  }
  alice->expect_no_frame();
  expect_served("general", {alice.get()});
}

// A store written before these rules, with rooms and tokens the rules now refuse or find
// colliding: after a restart the first-created room keeps its name, the rest are hidden, tokens of
// refused names are gone, and the server says so in one log line.
class StoredNamesTest : public ChatServerTest {
 protected:
  StoredNamesTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "chat-names-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) data_dir_ = pattern;
  }
  ~StoredNamesTest() override {
    std::error_code ignored;
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ignored);
  }
  std::vector<std::string> server_flags() const override { return {"--data-dir", data_dir_.string()}; }

  // What the server before this change could store: the store itself takes any name.
  void write_old_names() {
    std::string error;
    auto store = chat::SqliteStore::open(data_dir_.string(), error);
    ASSERT_TRUE(store) << error;
    int done = 0;
    const auto count = [&done](bool ok) { done += ok ? 1 : 0; };
    for (const char* room : {"caf\xC3\xA9", "Cafe", "\xE2\x80\xAEmoor", "games"}) store->create_room(chat::StoredRoom{room, 0, "", 0, ""}, count);
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    store->save_token({"00000000000000a1", chat::sha256_hex(kSecret), "alice", now_ms}, count);
    store->save_token({"00000000000000a2", chat::sha256_hex(kSecret), "\xC9\x91lice", now_ms}, count);  // ɑlice, now refused
    store->commit();
    ASSERT_EQ(done, 6);
  }

  static constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";
  std::filesystem::path data_dir_;
};

TEST_F(StoredNamesTest, CollidingAndRefusedStoredNamesAreHiddenAfterARestart) {
  ASSERT_FALSE(data_dir_.empty());
  ASSERT_EQ(server().stop(), 0);
  write_old_names();
  restart_server();

  ChatTestClient client(port());
  EXPECT_EQ(client.expect_rooms(), (std::vector<std::string>{"general", "caf\xC3\xA9", "games"}));
  const std::string output = server().output();
  EXPECT_NE(output.find("2 room(s) hidden"), std::string::npos) << output;
  EXPECT_NE(output.find("'Cafe', '<U+202E>moor'"), std::string::npos) << output;
  EXPECT_NE(output.find("1 resume token(s) dropped"), std::string::npos) << output;

  client.send(chat::Resume{std::string("00000000000000a2.") + kSecret, "general", 0});
  client.expect_refusal(ErrorCode::bad_token);
  client.send(chat::JoinRoom{"Cafe"});
  client.expect_refusal(ErrorCode::not_logged_in);
  client.resume(chat::Resume{std::string("00000000000000a1.") + kSecret, "general", 0}, "alice", "general");
  drain(client, milliseconds(300));
  client.send(chat::JoinRoom{"Cafe"});
  client.expect_refusal(ErrorCode::no_such_room);
  client.send(chat::CreateRoom{"cafe"});
  client.expect_refusal(ErrorCode::room_exists);
  client.send(chat::JoinRoom{"caf\xC3\xA9"});
  client.expect_joined("caf\xC3\xA9");
}

}  // namespace
}  // namespace chat_it
