// PrivateRooms: owners, members in order, each account's rooms, conversations counted.
#include "server/core/private_rooms.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

using Members = std::vector<AccountId>;

TEST(PrivateRooms, ARoomHasItsOwnerAndMembersInTheOrderTheyWereAdded) {
  PrivateRooms rooms;
  rooms.add_room("secret", 7, {7});
  EXPECT_TRUE(rooms.is_private("secret"));
  EXPECT_FALSE(rooms.is_private("general"));
  EXPECT_EQ(rooms.owner("secret"), 7);
  EXPECT_TRUE(rooms.add_member("secret", 3));
  EXPECT_TRUE(rooms.add_member("secret", 9));
  EXPECT_EQ(rooms.members("secret"), (Members{7, 3, 9}));
  EXPECT_TRUE(rooms.is_member("secret", 3));
  EXPECT_FALSE(rooms.is_member("secret", 4));
  EXPECT_FALSE(rooms.is_member("secret", 0));  // guests are never members
}

TEST(PrivateRooms, AddingAMemberTwiceOrRemovingANonMemberChangesNothing) {
  PrivateRooms rooms;
  rooms.add_room("secret", 7, {7});
  EXPECT_TRUE(rooms.add_member("secret", 3));
  EXPECT_FALSE(rooms.add_member("secret", 3));
  EXPECT_FALSE(rooms.remove_member("secret", 4));
  EXPECT_FALSE(rooms.add_member("nowhere", 3));  // not a private room
  EXPECT_FALSE(rooms.add_member("secret", 0));
  EXPECT_EQ(rooms.members("secret"), (Members{7, 3}));
  EXPECT_TRUE(rooms.remove_member("secret", 3));
  EXPECT_FALSE(rooms.is_member("secret", 3));
  EXPECT_EQ(rooms.members("secret"), (Members{7}));
  EXPECT_TRUE(rooms.rooms_of(3).empty());
}

TEST(PrivateRooms, AnAccountsRoomsComeInOrderOfCreation) {
  PrivateRooms rooms;
  rooms.add_room("b", 1, {1});
  rooms.add_room("a", 2, {2});
  rooms.add_room(dm_room_name(1, 5), 0, {1, 5});
  rooms.add_member("a", 1);  // added to the older room later: still listed by the room's creation
  EXPECT_EQ(rooms.rooms_of(1), (std::vector<std::string>{"b", "a", dm_room_name(1, 5)}));
  EXPECT_EQ(rooms.rooms_of(5), (std::vector<std::string>{dm_room_name(1, 5)}));
  EXPECT_TRUE(rooms.rooms_of(9).empty());
}

TEST(PrivateRooms, ARemovedRoomLeavesNoTrace) {
  PrivateRooms rooms;
  rooms.add_room("secret", 7, {7, 3});
  rooms.remove_room("secret");
  EXPECT_FALSE(rooms.is_private("secret"));
  EXPECT_FALSE(rooms.is_member("secret", 3));
  EXPECT_TRUE(rooms.rooms_of(7).empty());
  EXPECT_TRUE(rooms.members("secret").empty());
  rooms.add_room("secret", 3, {3});  // the name again, another owner
  EXPECT_EQ(rooms.owner("secret"), 3);
  EXPECT_EQ(rooms.members("secret"), (Members{3}));
}

TEST(PrivateRooms, ARepeatedCreationIsIgnored) {
  PrivateRooms rooms;
  rooms.add_room("secret", 7, {7});
  rooms.add_member("secret", 3);
  rooms.add_room("secret", 7, {7});  // heard again (the load, then the inbox)
  EXPECT_EQ(rooms.members("secret"), (Members{7, 3}));
}

TEST(PrivateRooms, FullAtTheCapOwnerIncluded) {
  PrivateRooms rooms;
  rooms.add_room("secret", 7, {7});
  EXPECT_FALSE(rooms.full("secret", 2));
  EXPECT_TRUE(rooms.full("secret", 2, /*joining=*/1)) << "one invitation on its way in fills it";
  rooms.add_member("secret", 3);
  EXPECT_TRUE(rooms.full("secret", 2));
}

TEST(PrivateRooms, ConversationsAreCounted) {
  PrivateRooms rooms;
  rooms.add_room("secret", 7, {7});
  rooms.add_room(dm_room_name(1, 2), 0, {1, 2});
  rooms.add_room(dm_room_name(2, 1), 0, {1, 2});  // the same conversation
  rooms.add_room(dm_room_name(1, 3), 0, {1, 3});
  EXPECT_EQ(rooms.conversations(), 2u);
  rooms.remove_room(dm_room_name(1, 2));
  EXPECT_EQ(rooms.conversations(), 1u);
  EXPECT_EQ(rooms.owner(dm_room_name(1, 3)), 0);
}

TEST(PrivateRooms, AConversationsPeopleComeFromItsName) {
  EXPECT_EQ(conversation_people(dm_room_name(12, 3)), (Members{3, 12}));
  EXPECT_TRUE(conversation_people("dm:1:2").empty());
  EXPECT_TRUE(conversation_people("\x01" "dm:1:x").empty());
  EXPECT_TRUE(conversation_people("\x01" "dm:2:1").empty());  // never written so
  EXPECT_TRUE(conversation_people("\x01" "dm:1").empty());
  EXPECT_TRUE(conversation_people("\x01" "dm:1:1").empty());
}

TEST(PrivateRooms, ListsKeepTheNewestNamesThatFit) {
  const std::vector<std::string> names{"ann", "bob", "cy"};  // 9, 9 and 7 bytes at worst
  EXPECT_EQ(newest_that_fit(names, 100, 0), names);
  EXPECT_EQ(newest_that_fit(names, 100, 84), (std::vector<std::string>{"bob", "cy"}));
  EXPECT_EQ(newest_that_fit(names, 100, 93), std::vector<std::string>{"cy"});
  EXPECT_TRUE(newest_that_fit(names, 100, 94).empty());
  EXPECT_TRUE(newest_that_fit(names, 100, 200).empty());  // nothing left
}

}  // namespace
}  // namespace chat
