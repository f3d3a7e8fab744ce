// Read markers outlive a restart (SQLite: schema step 6's read_markers; Redis: the cluster's own
// keys, the same Redis across the restart): after it, a sign-in counts from the stored markers
// and the rooms' last ids, mentions included, for a public room read in and a private room.

#include "private_rooms_fixture.hpp"

namespace chat_it {
namespace {

using UnreadRestartTest = PrivateRoomsTest;

TEST_F(UnreadRestartTest, CountsAndMentionsAreKeptAcrossARestart) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  const chat::ChatLine hello = say(*alice, "alice", "general", unique_text("hello"));
  expect_room_line(*bob, "alice", "general", hello.text);
  send_with_id(*bob, chat::MarkRead{"general", hello.id}, "1");
  expect_unread(*bob, {in_room("general", hello.id, 0)}, "1");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  join(*alice, "secret");
  const chat::ChatLine read = say(*alice, "alice", "secret", unique_text("read"));
  expect_unread(*bob, {in_room("secret", 0, 1)});
  const chat::ChatLine look = say(*alice, "alice", "secret", "@bob look", {"bob"});
  expect_unread(*bob, {in_room("secret", 0, 2, true)});
  send_with_id(*bob, chat::MarkRead{"secret", read.id}, "2");
  expect_unread(*bob, {in_room("secret", read.id, 1, true)}, "2");

  restart_after_clean_stop({alice.get(), bob.get()});

  chat::UnreadFrame counts;
  auto bob_again = signed_in("bob", true, nullptr, &counts);
  check_unread(*bob_again, counts, {in_room("general", hello.id, 0), in_room("secret", read.id, 1, true)});
  chat::UnreadFrame alice_counts;
  auto alice_again = signed_in("alice", true, nullptr, &alice_counts);
  check_unread(*alice_again, alice_counts, {in_room("general", hello.id, 0), in_room("secret", look.id, 0)});
  // The rooms' last ids were loaded: a new line counts from them.
  join(*alice_again, "secret");
  say(*alice_again, "alice", "secret", unique_text("after"));
  expect_unread(*bob_again, {in_room("secret", read.id, 2, true)});
}

}  // namespace
}  // namespace chat_it
