// Private rooms and conversations outlive a restart (SQLite: schema step 5's rooms and
// room_members; Redis: the cluster's own keys, the same Redis across the restart): the owner,
// the members in order of addition, a member's leaving, and a conversation with its lines.

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
  const chat::ChatLine line = expect_own_line(*alice, "alice", "", "bob", said);  // its receipt in either order
  expect_line_and_count(*bob, "alice", "", "alice", said, {}, false, 1);

  restart_after_clean_stop({alice.get(), bob.get(), carol.get()});

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
