// Typing notices over real sockets (docs/ACCOUNTS.md, step 4, "Typing"): a room's reach the other
// v2 sessions in that room only; a direct one every session of the other account only; the
// refusals; and at most one per --typing-interval-ms per connection passed on, the rest dropped
// without an answer. Nothing else may come before what each test waits for: every receiver's
// next frame (presence skipped) is checked.
#include "private_rooms_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using TypingTest = PrivateRoomsTest;

TEST_F(TypingTest, ARoomsTypingReachesTheOthersInThatRoomAndNoOneElse) {
  auto cid = connect_v2("cid");
  cid->send(chat::CreateRoom{"jeux"});
  expect_event(*cid, chat::Event::room_created, "", "jeux");
  join(*cid, "jeux");
  auto ann = connect_v2("ann");
  auto ben = connect_v2("ben");
  auto dot = connect_as("dot");  // version 1: no typing notices

  ben->send(chat::Typing{"jeux"});  // not ben's room
  expect_refused(*ben, ErrorCode::not_allowed);
  ann->send(chat::Typing{"general"});
  next_frame(*ben);
  EXPECT_EQ(ben->last_raw(), R"({"action":"typing","room":"general","user":"ann"})");
  for (auto* client : {ann.get(), cid.get(), dot.get()}) expect_nothing_before_an_answer(*client);
}

TEST_F(TypingTest, ADirectTypingReachesTheOtherAccountAndNoOneElse) {
  auto alice = registered("alice");
  auto bob = registered("bob");
  auto alice_phone = signed_in("alice", false);
  auto carol = registered("carol");
  auto guest = connect_v2("guest");

  alice->send(chat::Typing{"", "bob"});
  next_frame(*bob);
  EXPECT_EQ(bob->last_raw(), R"({"action":"typing","dm":"alice","user":"alice"})");
  for (auto* client : {alice.get(), alice_phone.get(), carol.get(), guest.get()}) {
    expect_nothing_before_an_answer(*client);
  }
  alice->send(chat::Typing{"", "nobody"});
  expect_refused(*alice, ErrorCode::no_such_account);
  alice->send(chat::Typing{"", "ALICE"});
  expect_refused(*alice, ErrorCode::not_allowed);
  guest->send(chat::Typing{"", "alice"});
  expect_refused(*guest, ErrorCode::not_allowed);
  expect_nothing_before_an_answer(*bob);
}

class TypingSpacingTest : public TypingTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--typing-interval-ms", "60000"}; }
};

// The second typing, well within the interval, is dropped: the receiver's next frames are the
// first typing, then the line sent after both. Each connection has its own interval.
TEST_F(TypingSpacingTest, ASecondTypingWithinTheIntervalIsNotPassedOn) {
  auto ann = connect_v2("ann");
  auto ben = connect_v2("ben");
  const std::string text = unique_text("typed");
  ann->send(chat::Typing{"general"});
  ann->send(chat::Typing{"general"});
  ann->send(chat::SendMessage{text});
  next_frame(*ben);
  EXPECT_EQ(ben->last_raw(), R"({"action":"typing","room":"general","user":"ann"})");
  expect_room_line(*ben, "ann", "general", text);
  expect_room_line(*ann, "ann", "general", text);  // and no answer to either typing before it

  ben->send(chat::Typing{"general"});
  ben->send(chat::SendMessage{text});
  next_frame(*ann);
  EXPECT_EQ(ann->last_raw(), R"({"action":"typing","room":"general","user":"ben"})");
  expect_room_line(*ann, "ben", "general", text);
}

}  // namespace
}  // namespace chat_it
