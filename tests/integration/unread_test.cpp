// Unread counts and mentions over real sockets (docs/ACCOUNTS.md, step 4, with the bytes of
// tests/shared/codec_unread_test.cpp): the counts a sign-in gets (private rooms, conversations,
// public rooms read in), a line counted on the devices not in its room, own lines read on
// sending, mark_read reaching every device of the account and its requester once, the refusals,
// and mentions by any spelling of a name. Every sign-in hashes with the real Argon2id.
#include "private_rooms_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using chat::Event;
using UnreadTest = PrivateRoomsTest;

TEST_F(UnreadTest, ASignInCountsItsPrivateRoomsConversationsAndThePublicRoomsItReadIn) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  alice->send(chat::CreateRoom{"jeux"});
  expect_event(*alice, Event::room_created, "", "jeux");
  expect_event(*bob, Event::room_created, "", "jeux");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  join(*alice, "jeux");
  const chat::ChatLine seen = say(*alice, "alice", "jeux", unique_text("seen"));
  send_with_id(*bob, chat::MarkRead{"jeux", seen.id}, "\"r1\"");
  expect_unread(*bob, {in_room("jeux", seen.id, 0)}, "\"r1\"");
  bob->close();

  say(*alice, "alice", "jeux", unique_text("unseen"));
  const chat::ChatLine last_in_jeux = say(*alice, "alice", "jeux", unique_text("unseen too"));
  join(*alice, "secret");
  say(*alice, "alice", "secret", unique_text("in secret"));
  const std::string direct = unique_text("psst");
  alice->send(chat::SendMessage{direct, "bob"});
  const chat::ChatLine psst = expect_own_line(*alice, "alice", "", "bob", direct);
  const chat::ChatLine away = say(*alice, "alice", "secret", "@bob is away", {"bob"});

  chat::UnreadFrame counts;
  auto bob_again = signed_in("bob", true, nullptr, &counts);
  check_unread(*bob_again, counts, {with("alice", 0, 1), in_room("jeux", seen.id, 2), in_room("secret", 0, 2, true)});
  // Alice follows the rooms she wrote in, and her own lines are read.
  chat::UnreadFrame alice_counts;
  auto alice_phone = signed_in("alice", true, nullptr, &alice_counts);
  check_unread(*alice_phone, alice_counts,
               {with("bob", psst.id, 0), in_room("jeux", last_in_jeux.id, 0), in_room("secret", away.id, 0)});
}

// A session in the room sees the line itself; the account's sessions elsewhere get the count.
// An account's own line is read on every device, with every line before it.
TEST_F(UnreadTest, ALineIsCountedOnTheDevicesNotInItsRoomAndOwnLinesNever) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  chat::UnreadFrame counts;
  auto bob_phone = signed_in("bob", true, nullptr, &counts);
  check_unread(*bob_phone, counts, {in_room("secret", 0, 0)});
  join(*bob, "secret");
  join(*alice, "secret");

  const chat::ChatLine first = say(*alice, "alice", "secret", unique_text("first"));
  expect_room_line(*bob, "alice", "secret", first.text);
  expect_unread(*bob_phone, {in_room("secret", 0, 1)});
  const chat::ChatLine own = say(*bob, "bob", "secret", unique_text("mine"));
  expect_room_line(*alice, "bob", "secret", own.text);
  expect_unread(*bob_phone, {in_room("secret", own.id, 0)});  // not 2: bob read up to his own line
  const chat::ChatLine third = say(*alice, "alice", "secret", unique_text("third"));
  expect_room_line(*bob, "alice", "secret", third.text);
  expect_unread(*bob_phone, {in_room("secret", own.id, 1)});
  for (auto* client : {alice.get(), bob.get(), bob_phone.get()}) expect_nothing_before_an_answer(*client);

  chat::UnreadFrame alice_counts;
  auto alice_phone = signed_in("alice", true, nullptr, &alice_counts);
  check_unread(*alice_phone, alice_counts, {in_room("secret", third.id, 0)});
}

// The requester gets one answer, with its request_id; every other device of the account the same
// counts without it. At or below the marker changes nothing; beyond the last line reads up to it.
TEST_F(UnreadTest, MarkReadReachesEveryDeviceOfTheAccountAndItsRequesterOnce) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  registered("carol")->close();
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  join(*alice, "secret");
  std::vector<chat::ChatLine> lines;
  for (std::int64_t n = 1; n <= 3; ++n) {
    lines.push_back(say(*alice, "alice", "secret", unique_text("line")));
    expect_unread(*bob, {in_room("secret", 0, n)});
  }
  chat::UnreadFrame counts;
  auto bob_phone = signed_in("bob", true, nullptr, &counts);
  check_unread(*bob_phone, counts, {in_room("secret", 0, 3)});

  send_with_id(*bob, chat::MarkRead{"secret", lines[1].id}, "\"m1\"");
  expect_unread(*bob, {in_room("secret", lines[1].id, 1)}, "\"m1\"");
  expect_unread(*bob_phone, {in_room("secret", lines[1].id, 1)});
  send_with_id(*bob, chat::MarkRead{"secret", lines[0].id}, "\"m2\"");  // the next frame: m1 came once
  expect_unread(*bob, {in_room("secret", lines[1].id, 1)}, "\"m2\"");
  send_with_id(*bob_phone, chat::MarkRead{"secret", 1'000'000}, "7");
  expect_unread(*bob_phone, {in_room("secret", lines[2].id, 0)}, "7");
  expect_unread(*bob, {in_room("secret", lines[2].id, 0)});

  const std::string direct = unique_text("psst");
  alice->send(chat::SendMessage{direct, "bob"});
  const chat::ChatLine psst = expect_own_line(*alice, "alice", "", "bob", direct);
  for (auto* device : {bob.get(), bob_phone.get()}) {
    expect_line_and_count(*device, "alice", "", "alice", direct, {}, false, 1);
  }
  send_with_id(*bob_phone, chat::MarkRead{"", psst.id, "alice"}, "8");
  expect_unread(*bob_phone, {with("alice", psst.id, 0)}, "8");
  expect_unread(*bob, {with("alice", psst.id, 0)});
  send_with_id(*bob, chat::MarkRead{"", 5, "carol"}, "9");  // no line yet: nothing to read, nothing stored
  expect_unread(*bob, {with("carol", 0, 0)}, "9");

  // Nothing else came: the next line's count is each device's next frame.
  say(*alice, "alice", "secret", unique_text("last"));
  for (auto* device : {bob.get(), bob_phone.get()}) expect_unread(*device, {in_room("secret", lines[2].id, 1)});
}

TEST_F(UnreadTest, MarkReadIsRefusedToGuestsAndForWhatTheAccountCannotSee) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto guest = connect_v2("guest");
  create_private(*alice, "secret");
  const auto refused = [](ChatTestClient& client, const chat::ClientFrame& frame, ErrorCode code) {
    send_with_id(client, frame, "\"no\"");
    EXPECT_EQ(expect_refused(client, code).request_id, "\"no\"");
  };
  refused(*guest, chat::MarkRead{"general", 1}, ErrorCode::not_allowed);
  refused(*guest, chat::MarkRead{"", 1, "alice"}, ErrorCode::not_allowed);
  refused(*bob, chat::MarkRead{"secret", 1}, ErrorCode::no_such_room);  // alice's: as if it did not exist
  refused(*bob, chat::MarkRead{"nowhere", 1}, ErrorCode::no_such_room);
  refused(*bob, chat::MarkRead{"", 1, "nobody"}, ErrorCode::no_such_account);
  refused(*bob, chat::MarkRead{"", 1, "bob"}, ErrorCode::not_allowed);
  refused(*bob, chat::MarkRead{"", 1, "BOB"}, ErrorCode::not_allowed);  // oneself by another spelling
}

// A mention is read by the identity key, of an account that may see the room; the line carries
// the accounts' own spellings, live and in history, and the count says so until it is read.
TEST_F(UnreadTest, AMentionByAnySpellingMarksTheCountAndTravelsWithTheLine) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto carol = registered("carol");
  create_private(*alice, "secret");
  invite(*alice, "secret", "bob", {bob.get()});
  join(*alice, "secret");
  const std::string text = "hey @BOB, and @ｃａｒｏｌ!";  // carol may not see the room: not mentioned
  const chat::ChatLine line = say(*alice, "alice", "secret", text, {"bob"});
  expect_unread(*bob, {in_room("secret", 0, 1, true)});
  expect_nothing_before_an_answer(*carol);
  const chat::HistoryFrame history = join(*bob, "secret");
  ASSERT_EQ(history.lines.size(), 1u);
  EXPECT_EQ(history.lines[0].mentions, std::vector<std::string>{"bob"});
  send_with_id(*bob, chat::MarkRead{"secret", line.id}, "1");
  expect_unread(*bob, {in_room("secret", line.id, 0, false)}, "1");

  // In a public room anyone may be mentioned, and the mention makes the room followed.
  say(*carol, "carol", "general", "@Alice: look, @ｂｏｂ.", {"alice", "bob"});
  chat::UnreadFrame counts;
  auto alice_phone = signed_in("alice", true, nullptr, &counts);
  check_unread(*alice_phone, counts, {in_room("general", 0, 1, true), in_room("secret", line.id, 0)});
}

}  // namespace
}  // namespace chat_it
