// RoomLog: id order and dedupe whatever the arrival order, notices in place, trimming.
#include "app/room_log.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chat::client {
namespace {

std::vector<ChatLine> page(std::int64_t first, std::int64_t last) {
  std::vector<ChatLine> lines;
  for (std::int64_t id = first; id <= last; ++id) lines.push_back(ChatLine{id, id * 1000, "ann", std::to_string(id)});
  return lines;
}

LogLine live(std::int64_t id) { return LogLine{LogLine::Kind::chat, "bob", std::to_string(id), id, 0}; }

// Each line as "id" for chat lines, "!text" for notices.
std::vector<std::string> shown(const RoomLog& log) {
  std::vector<std::string> out;
  for (const auto& line : log.lines()) {
    out.push_back(line.kind == LogLine::Kind::chat ? std::to_string(line.id) : "!" + line.text);
  }
  return out;
}

TEST(RoomLog, KeepsIdOrderWhateverTheArrivalOrder) {
  RoomLog log;
  EXPECT_EQ(log.merge(page(5, 7)), 3u);
  EXPECT_TRUE(log.add_chat(live(9)));
  EXPECT_EQ(log.merge(page(2, 4)), 3u);
  EXPECT_TRUE(log.add_chat(live(8)));
  EXPECT_EQ(shown(log), (std::vector<std::string>{"2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_EQ(log.oldest_id(), 2);
  EXPECT_EQ(log.newest_id(), 9);
}

TEST(RoomLog, ALineSeenTwiceIsKeptOnce) {
  RoomLog log;
  log.merge(page(1, 5));
  EXPECT_FALSE(log.add_chat(live(3)));
  EXPECT_EQ(log.merge(page(4, 7)), 2u);
  EXPECT_EQ(log.lines().size(), 7u);
  EXPECT_EQ(log.lines()[3].text, "4") << "the first copy is kept";
}

TEST(RoomLog, NoticesStayAfterTheLinesHeldWhenTheyCame) {
  RoomLog log;
  log.merge(page(10, 11));
  log.add_notice("lost", LogLine::Kind::error);
  log.add_notice("back", LogLine::Kind::notice);
  log.merge(page(12, 12));   // said while we were away
  log.merge(page(8, 9));     // an older page
  EXPECT_EQ(shown(log), (std::vector<std::string>{"8", "9", "10", "11", "!lost", "!back", "12"}));
}

TEST(RoomLog, LinesWithoutIdGoAtTheEnd) {
  RoomLog log;
  log.merge(page(1, 2));
  EXPECT_TRUE(log.add_chat(LogLine{LogLine::Kind::chat, "ann", "seed"}));
  EXPECT_TRUE(log.add_chat(LogLine{LogLine::Kind::chat, "ann", "seed"})) << "no id: no dedupe";
  EXPECT_EQ(shown(log), (std::vector<std::string>{"1", "2", "0", "0"}));
  EXPECT_EQ(log.newest_id(), 2);
}

TEST(RoomLog, TrimmingTheOldestMeansOlderLinesExist) {
  RoomLog log;
  log.merge(page(1, 10));
  EXPECT_FALSE(log.more());
  log.trim(4);
  EXPECT_EQ(shown(log), (std::vector<std::string>{"7", "8", "9", "10"}));
  EXPECT_EQ(log.oldest_id(), 7);
  EXPECT_TRUE(log.more());
}

TEST(RoomLog, DroppingChatLinesKeepsNoticesAndForgetsTheRange) {
  RoomLog log;
  log.merge(page(1, 3));
  log.add_notice("joined", LogLine::Kind::notice);
  log.set_more(true);
  log.drop_chat_lines();
  EXPECT_EQ(shown(log), (std::vector<std::string>{"!joined"}));
  EXPECT_EQ(log.oldest_id(), 0);
  EXPECT_EQ(log.newest_id(), 0);
  EXPECT_FALSE(log.more());
  log.merge(page(60, 61));
  EXPECT_EQ(shown(log), (std::vector<std::string>{"!joined", "60", "61"}));
}

}  // namespace
}  // namespace chat::client
