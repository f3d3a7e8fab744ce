// A part of the log selected with the mouse: its bytes in one line or across lines, whichever way
// it was dragged, kept on its lines when older lines are put above.
#include "app/text_selection.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chat::client {
namespace {

const std::vector<std::string> kLines = {"ann: first line", "bob: see https://e.test/x", "ann: \xC3\xA9t\xC3\xA9"};

TEST(TextSelection, NothingUntilTheFocusMoves) {
  TextSelection selection;
  EXPECT_TRUE(selection.empty());
  selection.start({1, 9});
  EXPECT_TRUE(selection.started());
  EXPECT_TRUE(selection.empty());
  EXPECT_EQ(selection.text(kLines), "");
}

TEST(TextSelection, PartOfOneLineInEitherDirection) {
  TextSelection selection;
  selection.start({1, 9});
  selection.extend({1, 25});
  EXPECT_EQ(selection.text(kLines), "https://e.test/x");
  EXPECT_EQ(selection.range_in(1, kLines[1].size()), std::make_pair(std::size_t{9}, std::size_t{25}));
  EXPECT_EQ(selection.range_in(0, kLines[0].size()), std::make_pair(std::size_t{0}, std::size_t{0}));
  selection.start({1, 25});  // dragged right to left
  selection.extend({1, 9});
  EXPECT_EQ(selection.text(kLines), "https://e.test/x");
}

TEST(TextSelection, AcrossLinesTheMiddleOnesAreWhole) {
  TextSelection selection;
  selection.start({2, 8});
  selection.extend({0, 11});
  EXPECT_EQ(selection.text(kLines), "line\nbob: see https://e.test/x\nann: \xC3\xA9t");
  EXPECT_EQ(selection.range_in(1, kLines[1].size()), std::make_pair(std::size_t{0}, kLines[1].size()));
}

TEST(TextSelection, NeverCutsACharacterInTwo) {
  TextSelection selection;
  selection.start({2, 6});  // inside the first é
  selection.extend({2, 9}); // inside the second é
  EXPECT_EQ(selection.text(kLines), "\xC3\xA9t");
}

TEST(TextSelection, StaysOnItsLinesWhenOlderOnesComeAbove) {
  TextSelection selection;
  selection.start({0, 5});
  selection.extend({0, 10});
  selection.shift_lines(1);
  EXPECT_EQ(selection.text({"older: line", "ann: first line"}), "first");
  selection.clear();
  EXPECT_TRUE(selection.empty());
}

TEST(TextSelection, LinesBeyondTheLogAreIgnored) {
  TextSelection selection;
  selection.start({1, 0});
  selection.extend({9, 3});
  EXPECT_EQ(selection.text(kLines), kLines[1] + "\n" + kLines[2]);
}

}  // namespace
}  // namespace chat::client
