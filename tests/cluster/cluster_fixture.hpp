// The fixture of the cluster tests: one private redis-server (RedisProcess, appendfsync always) and
// three real chat_server processes on it (--redis), driven by the integration harness' client.
// Readers here skip notices (presence, unread counts, typing) where a test is not about them, so
// that the same tests hold before and after each kind of notice spans the nodes.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "chat_fixture.hpp"
#include "redis_process.hpp"

namespace chat_it {

// What one node does reaches another through Redis pub/sub: bounded far above a loaded machine's
// delivery time (a bound, not a wait: every read returns as soon as its frame arrives).
inline constexpr milliseconds kAcrossNodes{20'000};

class ClusterTest : public ::testing::Test {
 protected:
  static constexpr int kNodes = 3;

  void SetUp() override;
  // Stops every node still running and fails the test unless each exits 0 after SIGTERM.
  void TearDown() override;
  virtual std::vector<std::string> node_flags() const { return {"--no-limits"}; }

  ServerProcess& node(int index) { return *nodes_.at(static_cast<std::size_t>(index)); }
  chat_redis_test::RedisProcess& redis() { return *redis_; }
  // Starts node `index` again (same folders, same Redis, a new port) once it has exited.
  void restart_node(int index);

  // A connection to node `index`, past its first frame (the rooms list, which is returned).
  std::unique_ptr<ChatTestClient> connect(int index, std::vector<std::string>* rooms = nullptr);
  std::unique_ptr<ChatTestClient> connect_as(int index, const std::string& name);  // seed login
  // v2 login, past the members and history frames of general.
  std::unique_ptr<ChatTestClient> connect_v2(int index, const std::string& name, chat::HistoryFrame* history = nullptr,
                                             chat::MembersFrame* members = nullptr);
  // True once node `index` refuses a guest login of `name` with "registered":true: it has heard of
  // the account (through pub/sub). Polled until `within` has passed.
  bool knows_account(int index, const std::string& name, milliseconds within);
  // An account registered (with kPassword) or signed in on node `index`, past its sign-in answer
  // (expect_signed_in); `rooms`, when given, receives its own rooms frame, which must come. Signed
  // in as `typed`, the account's own spelling `user` (default: as typed) comes back.
  std::unique_ptr<ChatTestClient> registered(int index, const std::string& name);
  std::unique_ptr<ChatTestClient> signed_in(int index, const std::string& typed,
                                            std::optional<chat::RoomsFrame>* rooms = nullptr,
                                            const std::string& user = "", const std::string& password = kPassword);

 private:
  std::unique_ptr<chat_redis_test::RedisProcess> redis_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
};

// The next frame that is not a notice: presence, unread counts and typing, which a node sends of
// its own accord as others act (each is tested on its own, with readers that skip nothing).
chat::ServerFrame next_non_notice(ChatTestClient& client, milliseconds timeout = kReplyTimeout);
// An account's sign-in answer: logged_in for `user` (seed room lists sent before it took effect
// are skipped), then general's members and history, and the account's own rooms frame when it is
// in a private room or conversation (`rooms_expected`), wherever that comes among them.
std::optional<chat::RoomsFrame> expect_signed_in(ChatTestClient& client, const std::string& user, bool rooms_expected);
// The next frame must be this chat line (v1 or v2 form); notices before it are skipped.
// Returns the line, id and ts set for a v2 receiver.
chat::ChatLine expect_line(ChatTestClient& client, const std::string& user, const std::string& room,
                           const std::string& text);

// What a speaker learnt of one line it sent: stored (its own echo came back) or refused, and every
// chat line of the room it received on the way (its echo included).
struct SendOutcome {
  bool stored = false;
  std::optional<chat::ErrorCode> refusal;
  std::vector<chat::ChatLine> received;
};
// Sends one line and reads until its echo or a refusal (store_unavailable or server_busy; any other
// frame but a chat line of `room` or presence fails). `timeout` bounds the wait for each frame.
SendOutcome send_line(ChatTestClient& client, const std::string& room, const std::string& text, milliseconds timeout);
// Sends new lines until one is stored (Redis may still be coming back); fails after `within`.
// Every chat line received on the way is appended to `received`; returns the stored line.
chat::ChatLine say_when_stored(ChatTestClient& client, const std::string& room, std::vector<chat::ChatLine>& received,
                               milliseconds within);
// Reads chat lines of `room` (live lines and history frames alike, presence skipped) until one with
// `text` arrives; returns all of them, that one included.
std::vector<chat::ChatLine> lines_until(ChatTestClient& client, const std::string& room, const std::string& text,
                                        milliseconds timeout);
// join_room, skipping presence frames: the joined reply, and for a v2 client the members and the
// history that follow (returned).
chat::HistoryFrame enter_room(ChatTestClient& client, const std::string& room, bool v2,
                              chat::MembersFrame* members = nullptr);
std::vector<std::string> texts_of(const std::vector<chat::ChatLine>& lines);

}  // namespace chat_it
