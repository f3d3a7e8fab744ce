// Three nodes on one Redis serve one chat: every member on every node gets each line exactly once
// in one order per room, a room created on one node is listed on the others, and any node serves
// history of lines it never delivered itself (issue 13, "The cluster").
#include <algorithm>
#include <atomic>
#include <map>
#include <set>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using ClusterChatTest = ClusterTest;

// Reads `count` chat lines of `room` (presence skipped; anything else fails).
std::vector<chat::ChatLine> receive_lines(ChatTestClient& client, const std::string& room, std::size_t count) {
  std::vector<chat::ChatLine> lines;
  while (lines.size() < count) {
    const auto frame = next_non_notice(client, milliseconds(30000));
    const auto* message = std::get_if<chat::MessageFrame>(&frame);
    if (!message || message->event != chat::Event::chat || message->error || message->room != room) {
      client.fail("expected a line of " + room + " (" + std::to_string(lines.size()) + " of " +
                  std::to_string(count) + " so far), got " + preview(client.last_raw()));
    }
    lines.push_back(chat::ChatLine{message->id, message->ts, message->user, std::string(message->chat_text())});
  }
  return lines;
}

TEST_F(ClusterChatTest, EveryMemberOnEveryNodeGetsEachLineOnceInOneOrder) {
  constexpr int kLinesEach = 25;
  std::vector<std::unique_ptr<ChatTestClient>> clients;  // per node: a seed client, then a v2 client
  for (int i = 0; i < kNodes; ++i) {
    clients.push_back(connect_as(i, "seed" + std::to_string(i)));
    clients.push_back(connect_v2(i, "v2user" + std::to_string(i)));
  }
  // Everyone speaks at once, on every node, without waiting: the nodes interleave the rooms' lines.
  std::map<std::string, std::vector<std::string>> sent;  // per speaker, in sending order
  for (int n = 0; n < kLinesEach; ++n) {
    for (auto& speaker : clients) {
      const std::string text = unique_text("line of " + speaker->name());
      speaker->send(chat::SendMessage{text});
      sent[speaker->name()].push_back(text);
    }
  }
  const std::size_t total = clients.size() * kLinesEach;

  std::vector<std::string> reference;  // the order the first v2 client got
  std::vector<std::int64_t> reference_ids;
  for (auto& client : clients) {
    SCOPED_TRACE(client->name());
    const auto lines = receive_lines(*client, "general", total);
    const auto texts = texts_of(lines);
    EXPECT_EQ(std::set<std::string>(texts.begin(), texts.end()).size(), total) << "a line came twice";
    for (const auto& [speaker, own] : sent) {  // each sender's lines in the order it sent them
      std::vector<std::string> got;
      for (const auto& line : lines) {
        if (line.user == speaker) got.push_back(line.text);
      }
      EXPECT_EQ(got, own) << "lines of " << speaker;
    }
    if (reference.empty()) reference = texts;
    EXPECT_EQ(texts, reference) << "one order per room on every node, for seed and v2 clients alike";
    if (lines.front().id != 0) {  // a v2 receiver: ids consecutive, the same on every node
      EXPECT_TRUE(ids_are_consecutive(lines, lines.front().id));
      std::vector<std::int64_t> ids;
      for (const auto& line : lines) ids.push_back(line.id);
      if (reference_ids.empty()) reference_ids = ids;
      EXPECT_EQ(ids, reference_ids);
    }
  }
  for (auto& client : clients) client->expect_no_frame(milliseconds(300));
}

TEST_F(ClusterChatTest, ARoomCreatedOnBIsListedOnAAndC) {
  auto seed_a = connect_as(0, "seeda");
  auto v2_a = connect_v2(0, "v2a");
  auto creator = connect_as(1, "creator");
  auto seed_c = connect_as(2, "seedc");
  auto v2_c = connect_v2(2, "v2c");

  creator->send(chat::CreateRoom{"jeux"});
  creator->expect_room_created("jeux");
  EXPECT_EQ(creator->expect_rooms(), (std::vector<std::string>{"general", "jeux"}));
  for (auto* seed : {seed_a.get(), seed_c.get()}) {  // seed clients: the new rooms list
    SCOPED_TRACE(seed->name());
    const auto frame = next_non_notice(*seed);
    const auto* rooms = std::get_if<chat::RoomsFrame>(&frame);
    ASSERT_NE(rooms, nullptr) << "expected the rooms list, got " << preview(seed->last_raw());
    EXPECT_EQ(rooms->rooms, (std::vector<std::string>{"general", "jeux"}));
  }
  for (auto* v2 : {v2_a.get(), v2_c.get()}) {  // v2 clients: one room_created event
    SCOPED_TRACE(v2->name());
    const auto frame = next_non_notice(*v2);
    const auto* created = std::get_if<chat::MessageFrame>(&frame);
    ASSERT_TRUE(created && created->event == chat::Event::room_created && created->room == "jeux" && !created->error)
        << "expected room_created jeux, got " << preview(v2->last_raw());
  }
  for (int i = 0; i < kNodes; ++i) {  // and in the list every node gives a new connection
    std::vector<std::string> rooms;
    connect(i, &rooms);
    EXPECT_EQ(rooms, (std::vector<std::string>{"general", "jeux"})) << "node " << i;
  }

  // The room works across nodes: joined from A and C, a line said on C reaches A and B.
  enter_room(*creator, "jeux", false);
  enter_room(*seed_a, "jeux", false);
  EXPECT_TRUE(enter_room(*v2_c, "jeux", true).lines.empty());
  const std::string text = unique_text("in jeux");
  v2_c->send(chat::SendMessage{text});
  const auto line = expect_line(*v2_c, "v2c", "jeux", text);
  EXPECT_EQ(line.id, 1);
  expect_line(*seed_a, "v2c", "jeux", text);
  expect_line(*creator, "v2c", "jeux", text);

  // The room's name is taken on every node: creating it again elsewhere is refused.
  seed_c->send(chat::CreateRoom{"jeux"});
  seed_c->expect_refusal(chat::ErrorCode::room_exists);
}

TEST_F(ClusterChatTest, HistoryAndPagingFromANodeThatDeliveredNoneOfTheLines) {
  constexpr int kLines = 130;
  auto writer = connect_as(0, "writer");
  writer->send(chat::CreateRoom{"archive"});
  writer->expect_room_created("archive");
  writer->expect_rooms();
  enter_room(*writer, "archive", false);
  std::vector<std::string> written;
  for (int i = 0; i < kLines; ++i) {
    written.push_back(unique_text("archived"));
    writer->send(chat::SendMessage{written.back()});
  }
  for (const auto& text : written) expect_line(*writer, "writer", "archive", text);

  // Node B has no member in archive and delivered none of its lines: it pages back to line 1.
  auto reader = connect_v2(1, "reader");
  const auto all = read_whole_history(*reader, "archive", 7);
  EXPECT_EQ(texts_of(all), written);
  EXPECT_TRUE(ids_are_consecutive(all, 1));
  reader->send(chat::History{"archive", 0, 50});
  const auto newest = reader->expect_history("archive");
  ASSERT_EQ(newest.lines.size(), 50u);
  EXPECT_TRUE(newest.more);
  EXPECT_EQ(newest.lines.front().id, kLines - 49);
  EXPECT_EQ(newest.lines.back().text, written.back());
  reader->send(chat::History{"archive", 3, 50});
  const auto oldest = reader->expect_history("archive");
  EXPECT_EQ(texts_of(oldest.lines), (std::vector<std::string>{written[0], written[1]}));
  EXPECT_FALSE(oldest.more);

  // Node C: entering the room gives its latest 50 lines, then live lines from node A.
  auto joiner = connect_v2(2, "joiner");
  const auto entered = enter_room(*joiner, "archive", true);
  ASSERT_EQ(entered.lines.size(), 50u);
  EXPECT_TRUE(entered.more);
  EXPECT_EQ(entered.lines.back().id, kLines);
  const std::string live = unique_text("live");
  writer->send(chat::SendMessage{live});
  expect_line(*writer, "writer", "archive", live);
  EXPECT_EQ(expect_line(*joiner, "writer", "archive", live).id, kLines + 1);
}

// Node B's reader enters general again and again while node A's writer speaks: each entry's
// history page and the live lines after it follow on, with no line twice and none missing. On a
// cluster the history read (commands link) can run ahead of the pub/sub delivery of the same lines.
TEST_F(ClusterChatTest, EnteringARoomWhileAnotherNodeSpeaksGivesEachLineOnce) {
  constexpr int kLines = 1500;
  constexpr int kEntries = 8;
  auto reader = connect_v2(1, "reader");
  reader->send(chat::CreateRoom{"side"});
  reader->expect_room_created("side");
  enter_room(*reader, "side", true);
  auto writer = connect_as(0, "writer");
  const std::string last_text = "flowing " + std::to_string(kLines - 1);
  std::atomic<int> sent{0};
  JoinedThread flow([&] {
    try {
      for (int i = 0; i < kLines; ++i) {
        writer->send(chat::SendMessage{"flowing " + std::to_string(i)});
        if (++sent % 10 == 0) std::this_thread::sleep_for(milliseconds(1));  // a steady flow, not one burst
      }
    } catch (const HarnessFailure&) {  // shows below: the last line never arrives
    }
  });
  for (const Deadline started = deadline_in(milliseconds(30000)); sent < 100 && Clock::now() < started;) {
    std::this_thread::sleep_for(milliseconds(1));
  }

  for (int entry = 1; entry <= kEntries; ++entry) {
    SCOPED_TRACE("entry " + std::to_string(entry));
    std::vector<chat::ChatLine> stay = enter_room(*reader, "general", true).lines;
    const std::size_t live = entry == kEntries ? SIZE_MAX : 40;  // the last stay: up to the last line
    for (std::size_t n = 0; n < live && (stay.empty() || stay.back().text != last_text); ++n) {
      const auto frame = next_non_notice(*reader, milliseconds(30000));
      const auto* message = std::get_if<chat::MessageFrame>(&frame);
      if (!message || message->event != chat::Event::chat || message->room != "general") {
        reader->fail("expected a line of general, got " + preview(reader->last_raw()));
      }
      stay.push_back(chat::ChatLine{message->id, message->ts, message->user, std::string(message->chat_text())});
    }
    reader->send(chat::JoinRoom{"side"});
    for (;;) {  // lines said before the move may still come, then the reply
      const auto frame = next_non_notice(*reader, milliseconds(30000));
      const auto* message = std::get_if<chat::MessageFrame>(&frame);
      if (message && message->event == chat::Event::chat && message->room == "general") {
        stay.push_back(chat::ChatLine{message->id, message->ts, message->user, std::string(message->chat_text())});
        continue;
      }
      if (!message || message->event != chat::Event::joined || message->room != "side") {
        reader->fail("expected joined side, got " + preview(reader->last_raw()));
      }
      break;
    }
    reader->expect_members("side");
    reader->expect_history("side");
    ASSERT_FALSE(stay.empty());
    ASSERT_TRUE(ids_are_consecutive(stay, stay.front().id));
    if (stay.back().text == last_text) break;
  }
}

}  // namespace
}  // namespace chat_it
