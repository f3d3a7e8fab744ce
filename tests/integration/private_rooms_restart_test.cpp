// Private rooms and conversations outlive a restart (SQLite: schema step 5's rooms and
// room_members; Redis: the cluster's own keys, the same Redis across the restart): the owner,
// the members in order of addition, a member's leaving, and a conversation with its lines.
#include <sys/wait.h>

#include "private_rooms_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using PrivateRoomsRestartTest = PrivateRoomsTest;

TEST_F(PrivateRoomsRestartTest, RoomsMembersAndConversationsAreKeptAcrossARestart) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto carol = registered("carol");
  create_private(*alice, "secret");
  invite(*alice, "secret", "carol", {carol.get()});
  invite(*alice, "secret", "bob", {bob.get()});
  leave(*carol, "carol", "secret");
  const std::string said = unique_text("before the restart");
  alice->send(chat::SendMessage{said, "bob"});
  const chat::ChatLine line = expect_direct_line(*alice, "alice", "bob", said);
  expect_direct_line(*bob, "alice", "alice", said);

  server().terminate();
  for (auto* client : {alice.get(), bob.get(), carol.get()}) {
    while (auto frame = client->receive()) {  // presence may come first; then the close
      if (frame->kind != WsMessage::Kind::text) break;
    }
  }
  const auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << (status ? ServerProcess::describe_status(*status) : "still running 5 s after SIGTERM");
  restart_server();

  EXPECT_EQ(ChatTestClient(port()).expect_rooms(), (std::vector<std::string>{"general"}));
  std::string list;
  auto bob_again = signed_in("bob", true, &list);
  EXPECT_TRUE(is_documented_frame(list, own_list({"general", "secret"}, {"secret"}, {"alice"})));
  bob_again->send(chat::ListRoomMembers{"secret"});
  next_frame(*bob_again);
  EXPECT_TRUE(is_documented_frame(bob_again->last_raw(),
                                  R"({"action":"room_members","room":"secret","owner":"alice","members":["alice","bob"]})"));
  bob_again->send(chat::History{"", 0, 50, "alice"});
  next_frame(*bob_again);
  const chat::HistoryFrame kept{"", {line}, false, "", "alice"};
  EXPECT_TRUE(is_documented_frame(bob_again->last_raw(), chat::encode(chat::ServerFrame{kept})));
  auto carol_again = signed_in("carol", false);  // she left: no own list, no room
  carol_again->send(chat::JoinRoom{"secret"});
  expect_refused(*carol_again, ErrorCode::no_such_room);
}

}  // namespace
}  // namespace chat_it
