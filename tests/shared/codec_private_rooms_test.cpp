// The codec's frames for private rooms and direct conversations (docs/PROTOCOL.md, "Private rooms"
// and "Direct messages"): exact bytes, round trips, refusals, and the seed's frames unchanged when
// the new fields are absent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shared/codec.hpp"
#include "codec_test_support.hpp"

namespace chat {
namespace {

using namespace codec_test;

TEST(CodecPrivateRoomsClient, EachNewFrameHasItsExactBytes) {
  EXPECT_EQ(encode(ClientFrame{CreateRoom{"secret", true}}), R"({"action":"create_room","room":"secret","private":true})");
  EXPECT_EQ(encode(ClientFrame{InviteMember{"secret", "bob"}}), R"({"action":"invite","room":"secret","user":"bob"})");
  EXPECT_EQ(encode(ClientFrame{RemoveMember{"secret", "bob"}}),
            R"({"action":"remove_member","room":"secret","user":"bob"})");
  EXPECT_EQ(encode(ClientFrame{ListRoomMembers{"secret"}}), R"({"action":"room_members","room":"secret"})");
  EXPECT_EQ(encode(ClientFrame{SendMessage{"hi", "bob"}}), R"({"action":"send_message","message":"hi","dm":"bob"})");
  EXPECT_EQ(encode(ClientFrame{History{"", 40, 20, "bob"}}), R"({"action":"history","dm":"bob","before_id":40,"limit":20})");
}

TEST(CodecPrivateRoomsClient, TheSeedFramesAreUnchangedWithoutTheNewFields) {
  EXPECT_EQ(encode(ClientFrame{CreateRoom{"jeux"}}), R"({"action":"create_room","room":"jeux"})");
  EXPECT_EQ(encode(ClientFrame{SendMessage{"salut"}}), R"({"action":"send_message","message":"salut"})");
  EXPECT_FALSE(decoded_client<CreateRoom>(R"({"action":"create_room","room":"jeux"})").is_private);
  EXPECT_FALSE(decoded_client<CreateRoom>(R"({"action":"create_room","room":"jeux","private":false})").is_private);
  EXPECT_EQ(decoded_client<SendMessage>(R"({"action":"send_message","message":"salut"})").dm, "");
}

TEST(CodecPrivateRoomsClient, DecodesWhatItEncodes) {
  EXPECT_TRUE(decoded_client<CreateRoom>(R"({"action":"create_room","room":"secret","private":true})").is_private);
  const auto invite = decoded_client<InviteMember>(R"({"action":"invite","room":"secret","user":"bob"})");
  EXPECT_EQ(invite.room, "secret");
  EXPECT_EQ(invite.user, "bob");
  const auto removal = decoded_client<RemoveMember>(R"({"action":"remove_member","room":"secret","user":"bob"})");
  EXPECT_EQ(removal.user, "bob");
  EXPECT_EQ(decoded_client<ListRoomMembers>(R"({"action":"room_members","room":"secret"})").room, "secret");
  const auto line = decoded_client<SendMessage>(R"({"action":"send_message","message":"hi","dm":"bob"})");
  EXPECT_EQ(line.message, "hi");
  EXPECT_EQ(line.dm, "bob");
  const auto history = decoded_client<History>(R"({"action":"history","dm":"bob","before_id":40})");
  EXPECT_EQ(history.dm, "bob");
  EXPECT_EQ(history.room, "");
  EXPECT_EQ(history.before_id, 40);
}

TEST(CodecPrivateRoomsClient, RefusesWhatIsMalformed) {
  EXPECT_EQ(client_error(R"({"action":"create_room","room":"secret","private":"yes"})"), ErrorCode::wrong_type);
  EXPECT_EQ(client_error(R"({"action":"send_message","message":"hi","dm":""})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"send_message","message":"hi","dm":7})"), ErrorCode::wrong_type);
  EXPECT_EQ(client_error(R"({"action":"history","room":"general","dm":"bob"})"), ErrorCode::bad_value);
  EXPECT_EQ(client_error(R"({"action":"history"})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"invite","room":"secret"})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"remove_member","user":"bob"})"), ErrorCode::missing_field);
  EXPECT_EQ(client_error(R"({"action":"room_members"})"), ErrorCode::missing_field);
}

TEST(CodecPrivateRoomsServer, EachNewFieldAndFrameHasItsExactBytes) {
  EXPECT_EQ(encode(ServerFrame{RoomsFrame{{"general", "secret"}, {"secret"}, {"bob"}}}),
            R"({"action":"rooms","rooms":["general","secret"],"private":["secret"],"dms":["bob"]})");
  EXPECT_EQ(encode(ServerFrame{RoomMembersFrame{"secret", "alice", {"alice", "bob"}, "7"}}),
            R"({"action":"room_members","room":"secret","owner":"alice","members":["alice","bob"],"request_id":7})");
  MessageFrame line = chat_line("", ChatLine{3, 1000, "alice", "hi"}, true);
  line.dm = "bob";
  EXPECT_EQ(encode(ServerFrame{line}),
            R"({"action":"message","message":"alice: hi","event":"chat","user":"alice","dm":"bob","id":3,"ts":1000,"text":"hi"})");
  MessageFrame created = notice(Event::room_created, "Room secret created", "", "secret");
  created.is_private = true;
  EXPECT_EQ(encode(ServerFrame{created}),
            R"({"action":"message","message":"Room secret created","event":"room_created","room":"secret","private":true})");
  EXPECT_EQ(encode(ServerFrame{notice(Event::member_added, "bob joined the members of secret", "bob", "secret")}),
            R"({"action":"message","message":"bob joined the members of secret","event":"member_added","user":"bob","room":"secret"})");
  HistoryFrame history{"", {ChatLine{1, 5, "bob", "yo"}}, false, "", "bob"};
  EXPECT_EQ(encode(ServerFrame{history}),
            R"({"action":"history","dm":"bob","lines":[{"id":1,"ts":5,"user":"bob","text":"yo"}],"more":false})");
}

// Who may be written to directly: the members frame names the accounts among the people, a
// presence frame says when the person is one; a room of guests keeps the bytes it had.
TEST(CodecPrivateRoomsServer, MembersAndPresenceSayWhichPeopleAreAccounts) {
  EXPECT_EQ(encode(ServerFrame{MembersFrame{"general", {"alice", "guest"}, {"alice"}}}),
            R"({"action":"members","room":"general","users":["alice","guest"],"accounts":["alice"]})");
  EXPECT_EQ(encode(ServerFrame{MembersFrame{"general", {"guest"}, {}}}),
            R"({"action":"members","room":"general","users":["guest"]})");
  EXPECT_EQ(encode(ServerFrame{PresenceFrame{"general", "alice", true, true}}),
            R"({"action":"presence","room":"general","user":"alice","event":"joined","account":true})");
  EXPECT_EQ(encode(ServerFrame{PresenceFrame{"general", "guest", false, false}}),
            R"({"action":"presence","room":"general","user":"guest","event":"left"})");
  const auto members = decoded_server<MembersFrame>(
      R"({"action":"members","room":"general","users":["alice","guest"],"accounts":["alice"]})");
  EXPECT_EQ(members.accounts, std::vector<std::string>{"alice"});
  EXPECT_TRUE(decoded_server<MembersFrame>(R"({"action":"members","room":"general","users":["g"]})").accounts.empty());
  EXPECT_TRUE(decoded_server<PresenceFrame>(
                  R"({"action":"presence","room":"general","user":"alice","event":"joined","account":true})")
                  .account);
  EXPECT_FALSE(decoded_server<PresenceFrame>(R"({"action":"presence","room":"general","user":"g","event":"left"})").account);
  EXPECT_FALSE(decode_server_frame(R"({"action":"members","room":"general","users":["a"],"accounts":"a"})", kLimits).ok());
}

TEST(CodecPrivateRoomsServer, TheSeedRoomsListIsUnchangedWithoutTheNewFields) {
  EXPECT_EQ(encode(ServerFrame{RoomsFrame{{"general", "jeux"}}}), R"({"action":"rooms","rooms":["general","jeux"]})");
}

TEST(CodecPrivateRoomsServer, DecodesWhatItEncodes) {
  const auto rooms = decoded_server<RoomsFrame>(R"({"action":"rooms","rooms":["general","secret"],"private":["secret"],"dms":["bob"]})");
  EXPECT_EQ(rooms.private_rooms, std::vector<std::string>{"secret"});
  EXPECT_EQ(rooms.dms, std::vector<std::string>{"bob"});
  const auto members = decoded_server<RoomMembersFrame>(
      R"({"action":"room_members","room":"secret","owner":"alice","members":["alice","bob"],"request_id":"a"})");
  EXPECT_EQ(members.owner, "alice");
  EXPECT_EQ(members.members, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(members.request_id, R"("a")");
  const auto line = decoded_server<MessageFrame>(
      R"({"action":"message","message":"alice: hi","event":"chat","user":"alice","dm":"bob","id":3,"ts":1000,"text":"hi"})");
  EXPECT_EQ(line.dm, "bob");
  EXPECT_EQ(line.event, Event::chat);
  EXPECT_TRUE(decoded_server<MessageFrame>(
                  R"({"action":"message","message":"m","event":"room_created","room":"s","private":true})").is_private);
  EXPECT_EQ(decoded_server<MessageFrame>(R"({"action":"message","message":"m","event":"member_removed","user":"b","room":"s"})").event,
            Event::member_removed);
  const auto history = decoded_server<HistoryFrame>(R"({"action":"history","dm":"bob","lines":[],"more":true})");
  EXPECT_EQ(history.dm, "bob");
  EXPECT_TRUE(history.more);
}

}  // namespace
}  // namespace chat
