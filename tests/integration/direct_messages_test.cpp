// Direct conversations over real sockets (docs/ACCOUNTS.md, "Direct conversations", with the
// bytes of tests/shared/codec_private_rooms_test.cpp): a line reaches every connection of both
// people wherever they are, "dm" naming the other person as each sees it; a line for someone
// offline is kept, listed in `dms` at their next sign-in and read back with history's dm; and
// the refusals. Every sign-in hashes with the real Argon2id: a few per test.
#include "private_rooms_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using chat::Event;
using DirectMessagesTest = PrivateRoomsTest;

TEST_F(DirectMessagesTest, ALineReachesEveryConnectionOfBothPeopleWhereverTheyAre) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto alice_phone = signed_in("alice", false);
  auto guest = connect_v2("guest");
  alice->send(chat::CreateRoom{"jeux"});
  expect_event(*alice, Event::room_created, "", "jeux");
  for (auto* client : {bob.get(), alice_phone.get(), guest.get()}) expect_event(*client, Event::room_created, "", "jeux");
  join(*alice, "jeux");  // the conversation is not the room: alice hears it in jeux all the same

  // Each line comes with its count (step 4): the author's devices read it, the other's count it.
  const std::string hello = unique_text("hello bob");
  alice_phone->send(chat::SendMessage{hello, "bob"});
  const chat::ChatLine first = expect_own_line(*alice_phone, "alice", "", "bob", hello);  // the sender's copy
  EXPECT_EQ(expect_own_line(*alice, "alice", "", "bob", hello).id, first.id);
  EXPECT_EQ(expect_line_and_count(*bob, "alice", "", "alice", hello, {}, false, 1).id, first.id);

  const std::string answer = unique_text("hello alice");
  bob->send(chat::SendMessage{answer, "alice"});
  const chat::ChatLine second = expect_own_line(*bob, "bob", "", "alice", answer);
  EXPECT_EQ(second.id, first.id + 1);  // one conversation, one numbering, whoever writes
  for (auto* device : {alice.get(), alice_phone.get()}) {
    EXPECT_EQ(expect_line_and_count(*device, "bob", "", "bob", answer, {}, false, 1, first.id).id, second.id);
  }
  expect_quiet(*guest);  // in general with bob: nothing of it

  const std::string in_jeux = unique_text("in jeux");
  const chat::ChatLine line = say(*alice, "alice", "jeux", in_jeux);  // alice's room is still jeux
  expect_unread(*alice_phone, {in_room("jeux", line.id, 0)});
  for (auto* client : {alice.get(), alice_phone.get(), bob.get()}) expect_quiet(*client);  // each line came once
}

// A person offline gets the conversation at the next sign-in: `dms` in its own rooms frame (in the
// order the conversations began), and the lines through history with dm.
TEST_F(DirectMessagesTest, ALineForSomeoneOfflineIsKeptAndListedAtTheirNextSignIn) {
  registered("carol")->close();
  auto alice = registered("alice");
  auto bob = registered("bob");
  const std::string away = unique_text("while you were away");
  alice->send(chat::SendMessage{away, "carol"});
  const chat::ChatLine kept = expect_own_line(*alice, "alice", "", "carol", away);
  const std::string later = unique_text("me too");
  bob->send(chat::SendMessage{later, "carol"});
  expect_own_line(*bob, "bob", "", "carol", later);
  const std::string again = unique_text("still there?");
  alice->send(chat::SendMessage{again, "carol"});
  const chat::ChatLine kept_again = expect_own_line(*alice, "alice", "", "carol", again);

  std::string list;
  chat::UnreadFrame counts;
  auto carol = signed_in("carol", true, &list, &counts);
  EXPECT_TRUE(is_documented_frame(list, own_list({"general"}, {}, {"alice", "bob"})));
  check_unread(*carol, counts, {with("alice", 0, 2), with("bob", 0, 1)});
  carol->send(chat::History{"", 0, 50, "alice"});
  const chat::ServerFrame frame = next_frame(*carol);
  ASSERT_TRUE(std::holds_alternative<chat::HistoryFrame>(frame)) << carol->last_raw();
  const chat::HistoryFrame documented{"", {kept, kept_again}, false, "", "alice"};
  EXPECT_TRUE(is_documented_frame(carol->last_raw(), chat::encode(chat::ServerFrame{documented})));

  alice->send(chat::History{"", kept_again.id, 50, "carol"});  // the other side pages back alike
  next_frame(*alice);
  const chat::HistoryFrame older{"", {kept}, false, "", "carol"};
  EXPECT_TRUE(is_documented_frame(alice->last_raw(), chat::encode(chat::ServerFrame{older})));

  const std::string reply = unique_text("back now");
  carol->send(chat::SendMessage{reply, "alice"});
  EXPECT_EQ(expect_own_line(*carol, "carol", "", "alice", reply).id, kept_again.id + 1);
  expect_line_and_count(*alice, "carol", "", "carol", reply, {}, false, 1, kept_again.id);
  expect_quiet(*bob);
}

TEST_F(DirectMessagesTest, RefusalsNameTheReason) {
  auto alice = registered("alice");
  auto guest = connect_v2("guest");
  alice->send(chat::SendMessage{"anyone there?", "nobody"});
  expect_refused(*alice, ErrorCode::no_such_account);
  alice->send(chat::SendMessage{"note to self", "alice"});
  expect_refused(*alice, ErrorCode::not_allowed);
  alice->send(chat::History{"", 0, 50, "nobody"});
  expect_refused(*alice, ErrorCode::no_such_account);
  guest->send(chat::SendMessage{"hello", "alice"});  // guests have no conversations
  expect_refused(*guest, ErrorCode::not_allowed);
  guest->send(chat::SendMessage{"hello", "guest"});  // nor a guest's name: only accounts have them
  const chat::MessageFrame refused = next_message(*guest);
  EXPECT_TRUE(refused.error == ErrorCode::not_allowed || refused.error == ErrorCode::no_such_account) << guest->last_raw();
  expect_quiet(*alice);
  // Nothing was created: alice's next sign-in has no conversation to list (no own rooms frame).
  auto alice_phone = signed_in("alice", false);
  expect_quiet(*alice_phone);
}

}  // namespace
}  // namespace chat_it
