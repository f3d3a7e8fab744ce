// RoomRegistry: membership both ways stays exact through joins, moves and leaves.
#include "server/core/room_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace chat {
namespace {

std::vector<SessionId> sorted(std::vector<SessionId> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(RoomRegistry, StartsWithGeneralOnly) {
  RoomRegistry rooms;
  EXPECT_EQ(rooms.names(), std::vector<std::string>{"general"});
  EXPECT_EQ(rooms.find("general"), RoomRegistry::kGeneral);
  EXPECT_EQ(rooms.find("General"), std::nullopt);
}

TEST(RoomRegistry, CreatesInOrder) {
  RoomRegistry rooms;
  const RoomId b = rooms.create("b");
  const RoomId a = rooms.create("a");
  EXPECT_EQ(rooms.names(), (std::vector<std::string>{"general", "b", "a"}));
  EXPECT_EQ(rooms.find("a"), a);
  EXPECT_EQ(rooms.name(b), "b");
}

TEST(RoomRegistry, AConversationsRoomIsFoundByItsExactNameAndCollidesWithNothing) {
  RoomRegistry rooms;
  const RoomId conversation = rooms.create(dm_room_name(1, 2));
  EXPECT_EQ(rooms.find(dm_room_name(2, 1)), conversation);
  EXPECT_FALSE(rooms.in_use("dm:1:2"));
  EXPECT_FALSE(rooms.in_use("DM:1:2"));
  const RoomId lookalike = rooms.create("dm:1:2");
  EXPECT_NE(lookalike, conversation);
  rooms.remove_room(conversation);
  EXPECT_TRUE(rooms.in_use("dm:1:2"));  // the other room's keys stay
}

TEST(RoomRegistry, PlaceMovesAndRemoveForgets) {
  RoomRegistry rooms;
  const RoomId games = rooms.create("games");
  for (SessionId id = 1; id <= 5; ++id) rooms.place(id, RoomRegistry::kGeneral);
  rooms.place(2, games);
  rooms.place(4, games);
  EXPECT_EQ(sorted(rooms.members(RoomRegistry::kGeneral)), (std::vector<SessionId>{1, 3, 5}));
  EXPECT_EQ(sorted(rooms.members(games)), (std::vector<SessionId>{2, 4}));
  EXPECT_EQ(rooms.room_of(2), games);
  rooms.remove(1);
  rooms.remove(4);
  rooms.remove(99);  // unknown: no effect
  EXPECT_EQ(sorted(rooms.members(RoomRegistry::kGeneral)), (std::vector<SessionId>{3, 5}));
  EXPECT_EQ(rooms.members(games), std::vector<SessionId>{2});
  EXPECT_EQ(rooms.room_of(1), std::nullopt);
}

TEST(RoomRegistry, SwapRemoveKeepsIndexesExactUnderChurn) {
  RoomRegistry rooms;
  const RoomId other = rooms.create("other");
  std::vector<SessionId> expected;
  for (SessionId id = 1; id <= 200; ++id) {
    rooms.place(id, RoomRegistry::kGeneral);
    expected.push_back(id);
  }
  // Remove every third, move every fifth, in an order that exercises holes everywhere.
  for (SessionId id = 200; id >= 1; --id) {
    if (id % 3 == 0) {
      rooms.remove(id);
      expected.erase(std::find(expected.begin(), expected.end(), id));
    } else if (id % 5 == 0) {
      rooms.place(id, other);
      expected.erase(std::find(expected.begin(), expected.end(), id));
    }
  }
  EXPECT_EQ(sorted(rooms.members(RoomRegistry::kGeneral)), sorted(expected));
  for (const SessionId id : expected) EXPECT_EQ(rooms.room_of(id), RoomRegistry::kGeneral);
}

TEST(RoomRegistry, ListenersAreTheListeningMembersAndFollowThemAround) {
  RoomRegistry rooms;
  const RoomId games = rooms.create("games");
  for (SessionId id = 1; id <= 6; ++id) rooms.place(id, RoomRegistry::kGeneral);
  for (SessionId id : {2, 3, 5}) rooms.listen(id);
  rooms.listen(3);  // twice: still listed once
  EXPECT_EQ(sorted(rooms.listeners(RoomRegistry::kGeneral)), (std::vector<SessionId>{2, 3, 5}));
  rooms.place(3, games);
  rooms.place(4, games);
  EXPECT_EQ(sorted(rooms.listeners(RoomRegistry::kGeneral)), (std::vector<SessionId>{2, 5}));
  EXPECT_EQ(rooms.listeners(games), (std::vector<SessionId>{3}));
  rooms.remove(2);  // swap-remove moves 5 into 2's place: its index must follow
  rooms.remove(5);
  EXPECT_TRUE(rooms.listeners(RoomRegistry::kGeneral).empty());
  EXPECT_EQ(sorted(rooms.members(RoomRegistry::kGeneral)), (std::vector<SessionId>{1, 6}));
  rooms.place(3, RoomRegistry::kGeneral);
  EXPECT_EQ(rooms.listeners(RoomRegistry::kGeneral), (std::vector<SessionId>{3}));
  EXPECT_TRUE(rooms.listeners(games).empty());
}

// Room names are unique by the same keys as nicknames, but joined by their exact spelling.
TEST(RoomRegistry, LookAlikeNamesAreInUseButNotFound) {
  RoomRegistry rooms;
  rooms.create("caf\u00E9");
  for (const char* name : {"general", "General", "GENERAL", "Cafe", "cafe\u0301", "\uFF27eneral"}) {
    EXPECT_TRUE(rooms.in_use(name)) << name;
  }
  EXPECT_EQ(rooms.find("Cafe"), std::nullopt);
  EXPECT_FALSE(rooms.in_use("games"));
}

TEST(RoomRegistry, AHeldCreationKeepsItsNameAndLookAlikesTakenUntilUnheld) {
  RoomRegistry rooms;
  ASSERT_TRUE(rooms.hold("games"));
  EXPECT_FALSE(rooms.hold("Games"));
  EXPECT_TRUE(rooms.in_use("GAMES"));
  EXPECT_EQ(rooms.find("games"), std::nullopt);  // not a room until created
  rooms.unhold("games");
  EXPECT_FALSE(rooms.in_use("games"));
  ASSERT_TRUE(rooms.hold("games"));
  rooms.unhold("games");
  const RoomId id = rooms.create("games");
  EXPECT_EQ(rooms.find("games"), id);
  rooms.unhold("games");  // a stale unhold does not free a created room's name
  EXPECT_TRUE(rooms.in_use("Games"));
}

}  // namespace
}  // namespace chat
