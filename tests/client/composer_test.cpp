// Drafts per room, the unsent draft recalled, member names completed.
#include "app/composer.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

TEST(Drafts, EachRoomKeepsItsDraftAcrossASwitch) {
  Drafts drafts;
  std::string field = "half a thought";
  drafts.switch_room("general", "jeux", field);
  EXPECT_EQ(field, "");
  field = "dans jeux";
  drafts.switch_room("jeux", "general", field);
  EXPECT_EQ(field, "half a thought");
  drafts.switch_room("general", "jeux", field);
  EXPECT_EQ(field, "dans jeux");
}

TEST(Drafts, AnEmptiedDraftIsRecalledUntilSent) {
  Drafts drafts;
  drafts.edited("general", "long text, oops");
  drafts.edited("general", "");
  EXPECT_EQ(drafts.recall("general"), "long text, oops");
  EXPECT_EQ(drafts.recall("jeux"), std::nullopt);
  drafts.sent("general");
  EXPECT_EQ(drafts.recall("general"), std::nullopt);
}

TEST(Drafts, AreBounded) {
  Drafts drafts;
  for (std::size_t i = 0; i < Drafts::kMaxRooms + 10; ++i) drafts.edited("r" + std::to_string(i), "x");
  EXPECT_TRUE(drafts.recall("r0").has_value());
  EXPECT_FALSE(drafts.recall("r" + std::to_string(Drafts::kMaxRooms + 5)).has_value());
}

TEST(CompleteName, CompletesTheWordBeforeTheCursor) {
  const std::vector<std::string> names{"Alice", "Bob", "Élodie", "me"};
  auto done = complete_name("al", 2, names, "me");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->text, "Alice: ");
  EXPECT_EQ(done->cursor, 7u);
  done = complete_name("hi bo, ok", 5, names, "me");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->text, "hi Bob , ok");
  done = complete_name("\xC3\x89lo", 4, names, "me");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->text, "Élodie: ");
}

TEST(CompleteName, NothingForAnEmptyWordAnUnknownOneOrMyself) {
  const std::vector<std::string> names{"Alice", "me"};
  EXPECT_FALSE(complete_name("", 0, names, "me"));
  EXPECT_FALSE(complete_name("hi ", 3, names, "me"));
  EXPECT_FALSE(complete_name("zed", 3, names, "me"));
  EXPECT_FALSE(complete_name("m", 1, names, "me"));
}

}  // namespace
}  // namespace chat::client
