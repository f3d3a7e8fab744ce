// v2 history paging back to a room's first line, and request_id echoes on replies and refusals
// (docs/PROTOCOL.md "history", "Request ids").
#include "chat_fixture.hpp"

#include <atomic>
#include <optional>

namespace chat_it {
namespace {

using chat::ErrorCode;
using HistoryTest = UnlimitedChatServerTest;

// `speaker` says every text in a burst (the store batches them); speaker and listener read them all.
void say_all(ChatTestClient& speaker, ChatTestClient& listener, const std::vector<std::string>& texts) {
  for (const auto& text : texts) speaker.send(chat::SendMessage{text});
  for (auto* client : {&speaker, &listener}) {
    for (const auto& text : texts) client->expect_chat(speaker.name(), "general", text);
  }
}

std::vector<std::string> numbered(const std::string& tag, int from, int count) {
  std::vector<std::string> texts;
  for (int i = from; i < from + count; ++i) texts.push_back(tag + " " + std::to_string(i));
  return texts;
}

TEST_F(HistoryTest, PagingBackThroughAThousandLinesGivesEachOnceInOrder) {
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  const auto first = numbered("line", 1, 600);
  const auto second = numbered("line", 601, 400);
  say_all(*bob, *carol, first);  // one sender at a time, so the order of all 1000 is known
  say_all(*carol, *bob, second);
  std::vector<std::string> expected = first;
  expected.insert(expected.end(), second.begin(), second.end());

  chat::HistoryFrame latest;
  auto alice = connect_v2("alice", &latest);
  ASSERT_EQ(latest.lines.size(), 50u);  // the latest page on login
  EXPECT_TRUE(latest.more);
  EXPECT_EQ(latest.lines.front().text, "line 951");
  EXPECT_EQ(latest.lines.back().text, "line 1000");

  for (const int limit : {200, 37}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    const auto all = read_whole_history(*alice, "general", limit);
    ASSERT_EQ(all.size(), expected.size());
    EXPECT_TRUE(ids_are_consecutive(all, 1));
    for (std::size_t i = 0; i < all.size(); ++i) {
      ASSERT_EQ(all[i].text, expected[i]) << "line " << i;
      ASSERT_EQ(all[i].user, i < first.size() ? "bob" : "carol") << "line " << i;
    }
  }
  alice->send(chat::History{"general", 1, 50});  // nothing before the first line
  const auto before_first = alice->expect_history("general");
  EXPECT_TRUE(before_first.lines.empty());
  EXPECT_FALSE(before_first.more);
}

// Adds the lines of general the client receives to `stay` until the first frame that is not one,
// which is returned (nullopt once `stay` holds `count` lines or ends with `last_text`).
std::optional<chat::MessageFrame> read_live_lines(ChatTestClient& client, std::vector<chat::ChatLine>& stay,
                                                  std::size_t count, const std::string& last_text) {
  while (stay.size() < count && (stay.empty() || stay.back().text != last_text)) {
    auto message = client.expect_message();
    if (message.event != chat::Event::chat || message.room != "general") return message;
    stay.push_back(chat::ChatLine{message.id, message.ts, message.user, std::string(message.chat_text())});
  }
  return std::nullopt;
}

// While bob's lines flow, alice enters general (login, then join_room) many times. Each stay must
// be the entry history then live lines with consecutive ids: nothing between the entry and its
// history, no line in both, none in neither.
TEST_F(HistoryTest, EnteringWhileLinesFlowGivesEachLineOnceWithoutGap) {
  constexpr int kLines = 3000;
  constexpr int kEntries = 8;  // each entry is one chance to catch the race
  const std::string last_text = "flowing " + std::to_string(kLines - 1);
  auto bob = connect_as("bob");
  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_room_created("jeux");
  bob->expect_rooms();
  auto alice = connect_v2("alice");  // before the flow: a logged-out connection gets general's lines too
  alice->send(chat::JoinRoom{"jeux"});
  alice->expect_joined("jeux");
  alice->expect_members("jeux");
  alice->expect_history("jeux");
  std::atomic<int> sent{0};
  JoinedThread sender([&] {
    try {
      for (int i = 0; i < kLines; ++i) {
        bob->send(chat::SendMessage{"flowing " + std::to_string(i)});
        if (++sent % 10 == 0) std::this_thread::sleep_for(milliseconds(1));  // a steady flow, not one burst
      }
    } catch (const HarnessFailure&) {  // reported below: the last line never arrives
    }
  });
  const Deadline started = deadline_in(kReplyTimeout);
  while (sent < 100 && Clock::now() < started) std::this_thread::sleep_for(milliseconds(1));

  std::vector<chat::ChatLine> stay;
  for (int entry = 1;; ++entry) {
    alice->send(chat::JoinRoom{"general"});
    alice->expect_joined("general");
    alice->expect_members("general");  // right after the reply: no live line may come first
    stay = alice->expect_history("general").lines;
    const bool last_stay = entry == kEntries;
    if (read_live_lines(*alice, stay, last_stay ? SIZE_MAX : stay.size() + 50, last_text)) {
      alice->fail("expected a line of general: " + preview(alice->last_raw()));
    }
    if (last_stay || stay.back().text == last_text) break;
    alice->send(chat::JoinRoom{"jeux"});
    const auto reply = read_live_lines(*alice, stay, SIZE_MAX, "");  // lines sent before the move, then the reply
    if (!reply || reply->event != chat::Event::joined || reply->room != "jeux") {
      alice->fail("expected joined jeux: " + preview(alice->last_raw()));
    }
    SCOPED_TRACE("entry " + std::to_string(entry));
    ASSERT_TRUE(ids_are_consecutive(stay, stay.front().id));
    alice->expect_members("jeux");
    alice->expect_history("jeux");
  }
  sender.join();
  EXPECT_TRUE(ids_are_consecutive(stay, stay.front().id));
  EXPECT_EQ(stay.back().text, last_text);
}

// A refusal's request_id is echoed unchanged: `raw_id` is its JSON as sent.
void expect_refusal_echo(ChatTestClient& client, const std::string& request, ErrorCode code, const std::string& raw_id) {
  SCOPED_TRACE(request);
  client.send_text(request);
  EXPECT_EQ(client.expect_refusal(code).request_id, raw_id);
  EXPECT_NE(client.last_raw().find(",\"request_id\":" + raw_id), std::string::npos) << client.last_raw();
}

TEST_F(HistoryTest, RefusalsEchoTheRequestIdAsAStringOrAnInteger) {
  auto guest = connect();
  expect_refusal_echo(*guest, R"({"action":"history","room":"general","request_id":"early"})",
                      ErrorCode::not_logged_in, R"("early")");
  expect_refusal_echo(*guest, R"({"action":"resume","token":"nope.nope","room":"general","request_id":12})",
                      ErrorCode::bad_token, "12");

  auto alice = connect_v2("alice");
  expect_refusal_echo(*alice, R"({"action":"join_room","room":"nowhere","request_id":"join-1"})",
                      ErrorCode::no_such_room, R"("join-1")");
  expect_refusal_echo(*alice, R"({"action":"send_message","message":"   ","request_id":42})",
                      ErrorCode::empty_message, "42");
  expect_refusal_echo(*alice, R"({"action":"history","room":"general","limit":0,"request_id":-7})",
                      ErrorCode::bad_value, "-7");
  expect_refusal_echo(*alice, R"({"action":"history","room":"nowhere","request_id":9007199254740993})",
                      ErrorCode::no_such_room, "9007199254740993");  // beyond a double's precision
  expect_refusal_echo(*alice, R"({"action":"create_room","room":"general","request_id":"dup"})",
                      ErrorCode::room_exists, R"("dup")");
  expect_refusal_echo(*alice, R"({"action":"login","user":" alice","version":2,"request_id":"L"})",
                      ErrorCode::invalid_name, R"("L")");
  expect_refusal_echo(*alice, R"({"action":"frobnicate","request_id":5})", ErrorCode::unknown_action, "5");
  expect_refusal_echo(*alice, R"({"action":"send_message","request_id":"no text"})", ErrorCode::missing_field,
                      R"("no text")");
  expect_served("general", {alice.get()});
}

TEST_F(HistoryTest, RepliesEchoTheRequestIdButBroadcastsNever) {
  auto bob = connect_v2("bob");
  auto alice = connect_v2("alice");
  bob->expect_presence("general", "alice", true);
  alice->send_text(R"({"action":"history","room":"general","request_id":"h1"})");
  EXPECT_EQ(alice->expect_history("general").request_id, R"("h1")");
  alice->send_text(R"({"action":"join_room","room":"general","request_id":3})");
  EXPECT_EQ(alice->expect_message().request_id, "3") << alice->last_raw();
  alice->expect_members("general");
  EXPECT_EQ(alice->expect_history("general").request_id, "") << "the entry history is no reply to anything";
  alice->send_text(R"({"action":"send_message","message":"broadcast","request_id":11})");
  EXPECT_EQ(alice->expect_chat_v2("alice", "general", "broadcast").id, 1);  // byte-exact: no request_id
  bob->expect_chat_v2("alice", "general", "broadcast");
  alice->send_text(R"({"action":"create_room","room":"jeux","request_id":"c"})");
  alice->expect_room_created("jeux");
  EXPECT_EQ(alice->last_raw(), R"({"action":"message","message":"Room jeux created","event":"room_created","room":"jeux","request_id":"c"})");
  bob->expect_room_created("jeux");  // what version-2 clients get instead of the whole list
  EXPECT_EQ(bob->last_raw(), R"({"action":"message","message":"Room jeux created","event":"room_created","room":"jeux"})");
  alice->expect_no_frame();
}

}  // namespace
}  // namespace chat_it
