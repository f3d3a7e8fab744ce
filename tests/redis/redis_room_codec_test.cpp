// The Redis forms of rooms (redis_room_codec), private rooms and conversations (docs/ACCOUNTS.md,
// step 3): round trips, records written before private rooms existed, and malformed records and
// events refused rather than misread.
#include <gtest/gtest.h>

#include "server/engine/redis/redis_room_codec.hpp"
#include "stored_room_builder.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::public_room;

StoredRoom secret_room() {
  StoredRoom room = public_room("a:b 3", "alice", 1700000000000);
  room.is_private = true;
  room.owner = 7;
  room.members = {7, 12, 3};
  return room;
}

TEST(RedisRoomCodecTest, APrivateRoomRecordKeepsItsOwnerAndAPublicOneIsAsBefore) {
  const auto record = decode_room_record("a:b 3", encode_room_record(secret_room()));
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->is_private);
  EXPECT_EQ(7, record->owner);
  EXPECT_EQ("alice", record->creator);
  EXPECT_TRUE(record->members.empty());  // the record has none: they are in the members set
  EXPECT_EQ("1700000000000:bob", encode_room_record(public_room("x", "bob", 1700000000000)));
  const auto old = decode_room_record("x", "1700000000000:bob");
  ASSERT_TRUE(old);
  EXPECT_FALSE(old->is_private);
  EXPECT_EQ("bob", old->creator);
}

TEST(RedisRoomCodecTest, ThePrivateRoomCreatedEventCarriesItsMembersAndAConversationsNameSurvives) {
  for (StoredRoom room : {secret_room(), public_room(dm_room_name(9, 4), "", 5)}) {
    if (room.creator.empty()) room.is_private = true, room.owner = 0, room.members = {4, 9};
    const auto event = decode_room_event(encode_room_created(room));
    ASSERT_TRUE(event);
    const auto* created = std::get_if<StoredRoom>(&*event);
    ASSERT_NE(nullptr, created);
    EXPECT_EQ(room.name, created->name);
    EXPECT_EQ(room.creator, created->creator);
    EXPECT_EQ(room.created_ms, created->created_ms);
    EXPECT_TRUE(created->is_private);
    EXPECT_EQ(room.owner, created->owner);
    EXPECT_EQ(room.members, created->members);
  }
}

TEST(RedisRoomCodecTest, MemberEventsRoundTripWhateverTheRoomName) {
  for (const bool added : {true, false}) {
    for (const std::string& room : {std::string("general"), std::string("a:b"), dm_room_name(1, 2)}) {
      const auto event = decode_room_event(encode_room_member_changed(RoomMemberChanged{room, 42, added}));
      ASSERT_TRUE(event);
      const auto* change = std::get_if<RoomMemberChanged>(&*event);
      ASSERT_NE(nullptr, change);
      EXPECT_EQ(room, change->room);
      EXPECT_EQ(42, change->account);
      EXPECT_EQ(added, change->added);
    }
  }
}

TEST(RedisRoomCodecTest, MalformedPrivateRoomsAndMemberEventsAreRefused) {
  for (const std::string record : {"1:bob\x1f", "1:bob\x1fq7", "1:bob\x1fp", "1:bob\x1fpx", "1:bob\x1fp7\x1fm1,2"}) {
    EXPECT_FALSE(decode_room_record("x", record)) << record;
  }
  for (const std::string event : {"+1:1:xbob\x1fp7\x1fm1,", "+1:1:xbob\x1fp7\x1fm1,x", "+1:1:xbob\x1fp7\x1fn1",
                                  "+1:1:xbob\x1fp7\x1fm0", "a", "a7", "a7:", "ax:room", "a0:room", "r-1:room",
                                  "a7:\xff"}) {
    EXPECT_FALSE(decode_room_event(event)) << event;
  }
  EXPECT_TRUE(decode_room_event("+1:1:xbob\x1fp7\x1fm"));  // a private room with nobody: tolerated
}

TEST(RedisRoomCodecTest, TheRoomsSnapshotGivesPrivateRoomsTheirMembersAndSkipsBrokenOnes) {
  const auto text = [](std::string value) {
    RedisReply reply;
    reply.type = RedisReply::Type::string;
    reply.text = std::move(value);
    return reply;
  };
  const auto array = [](std::vector<RedisReply> elements) {
    RedisReply reply;
    reply.type = RedisReply::Type::array;
    reply.elements = std::move(elements);
    return reply;
  };
  const RedisReply snapshot = array({
      array({text("open"), text("1:bob"), text("secret"), text("2:al\x1fp7"), text("broken"), text("3:al\x1fp7"),
             text("junk"), text("nope")}),
      text("secret"), array({text("7"), text("9")}),
      text("broken"), array({text("7"), text("x")}),
  });
  std::size_t skipped = 0;
  const auto rooms = decode_rooms_snapshot(snapshot, skipped);
  ASSERT_TRUE(rooms);
  EXPECT_EQ(2u, skipped);
  ASSERT_EQ(2u, rooms->size());
  EXPECT_EQ("open", (*rooms)[0].name);
  EXPECT_FALSE((*rooms)[0].is_private);
  EXPECT_EQ("secret", (*rooms)[1].name);
  EXPECT_EQ((std::vector<AccountId>{7, 9}), (*rooms)[1].members);
  EXPECT_FALSE(decode_rooms_snapshot(text("x"), skipped));
  EXPECT_FALSE(decode_rooms_snapshot(array({}), skipped));
}

}  // namespace
}  // namespace chat::redis
