// RedisRoomLog on its two RedisConnections against a real redis-server of the test's own: id
// order per room across links, history paging both ways, live lines in id order, survival of a
// Redis restart (reconnect, resubscribe, ids continue), corrupt entries and peer messages skipped.
// RedisConnection on its own: redis_connection_test.cpp.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "quick_link_options.hpp"
#include "redis_process.hpp"
#include "server/engine/redis/redis_room_log.hpp"
#include "test_loop.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::quick_link_options;
using chat_redis_test::RedisProcess;
using chat_redis_test::TestLoop;

// One node's view: a command link, a pub/sub link, the room log on them, and what it saw.
struct Node {
  Node(uv_loop_t* loop, const RedisUrl& url, const std::string& name)
      : commands(loop, url, quick_link_options(name + "-commands")), pubsub(loop, url, quick_link_options(name + "-pubsub")),
        log(commands, pubsub) {
    log.on_line([this](const std::string& room, const PublishedLine& line) { received[room].push_back(line); },
                [this](const std::string& room) { ++live[room]; });
    commands.on_state([this](LinkState state, const std::string& reason) {
      if (state == LinkState::disconnected) last_reason = reason;
    });
    commands.start();
    pubsub.start();
  }
  bool up() const { return commands.state() == LinkState::connected && pubsub.state() == LinkState::connected; }

  RedisConnection commands;
  RedisConnection pubsub;
  RedisRoomLog log;
  std::map<std::string, std::vector<PublishedLine>> received;
  std::map<std::string, int> live;
  std::string last_reason;
};

struct Published {
  std::optional<Position> position;
  std::string error;
  bool done = false;
};

class RedisRoomLogTest : public ::testing::Test {
 protected:
  RedisUrl url() const { return parse_redis_url(redis.url()).url.value(); }

  std::unique_ptr<Node> node(const std::string& name) {
    auto result = std::make_unique<Node>(loop.get(), url(), name);
    Node* raw = result.get();
    EXPECT_TRUE(loop.run_until([raw] { return raw->up(); })) << name << " never connected: " << raw->last_reason;
    return result;
  }

  std::shared_ptr<Published> publish(Node& from, const std::string& room, const std::string& text) {
    auto result = std::make_shared<Published>();
    from.log.publish(room, 1700000000000, "ann", text, [result](std::optional<Position> position, const std::string& error) {
      result->position = std::move(position);
      result->error = error;
      result->done = true;
    });
    return result;
  }

  Position publish_and_wait(Node& from, const std::string& room, const std::string& text) {
    auto result = publish(from, room, text);
    EXPECT_TRUE(loop.run_until([&] { return result->done; }));
    EXPECT_TRUE(result->position) << result->error;
    return result->position.value_or(Position{});
  }

  std::optional<HistoryPage> read(Node& from, const std::string& room, bool before, std::int64_t id, std::size_t limit) {
    std::optional<HistoryPage> page;
    bool done = false;
    auto callback = [&](std::optional<HistoryPage> got, const std::string& error) {
      EXPECT_TRUE(got) << error;
      page = std::move(got);
      done = true;
    };
    if (before) {
      from.log.read_before(room, id, limit, callback);
    } else {
      from.log.read_after(room, id, limit, callback);
    }
    EXPECT_TRUE(loop.run_until([&] { return done; }));
    return page;
  }

  // Every line of a room through pages of `limit`, paging back from the newest or on from 0.
  std::vector<ChatLine> read_all(Node& from, const std::string& room, bool backwards, std::size_t limit) {
    std::vector<ChatLine> all;
    std::int64_t cursor = 0;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = read(from, room, backwards, cursor, limit);
      if (!page) break;
      EXPECT_LE(page->lines.size(), limit);
      all.insert(backwards ? all.begin() : all.end(), page->lines.begin(), page->lines.end());
      if (!page->more) break;
      cursor = page->cursor;
    }
    return all;
  }

  bool wait_subscribed(Node& node, const std::string& room, int times) {
    return loop.run_until([&] { return node.live[room] >= times; });
  }

  TestLoop loop;  // first: destroyed last, after the links that use it
  RedisProcess redis;
};

TEST_F(RedisRoomLogTest, TwoLinksGetOneIdOrderPerRoomAndASubscriberSeesItAll) {
  auto a = node("a");
  auto b = node("b");
  auto watcher = node("watcher");
  const std::vector<std::string> rooms = {"lobby", "games"};
  for (const auto& room : rooms) watcher->log.subscribe(room);
  for (const auto& room : rooms) ASSERT_TRUE(wait_subscribed(*watcher, room, 1));

  // All issued before any answer: both links pipeline, Redis interleaves them.
  struct Sent {
    std::string room, text;
    int link;
    std::shared_ptr<Published> result;
  };
  std::vector<Sent> sent;
  constexpr int kPerLink = 150;
  for (int i = 0; i < kPerLink; ++i) {
    for (int link = 0; link < 2; ++link) {
      const std::string& room = rooms[static_cast<std::size_t>(i + link) % rooms.size()];
      const std::string text = (link == 0 ? "a" : "b") + std::to_string(i) + ": " + room;
      sent.push_back({room, text, link, publish(link == 0 ? *a : *b, room, text)});
    }
  }
  ASSERT_TRUE(loop.run_until([&] {
    for (const auto& s : sent) {
      if (!s.result->done) return false;
    }
    return true;
  }));

  std::map<std::string, std::map<std::int64_t, std::string>> text_of;  // room -> id -> text
  std::map<std::string, std::string> epoch_of;
  std::map<std::pair<std::string, int>, std::int64_t> last_id_of_link;
  for (const auto& s : sent) {
    ASSERT_TRUE(s.result->position) << s.result->error;
    const Position& position = *s.result->position;
    EXPECT_TRUE(text_of[s.room].emplace(position.id, s.text).second) << "id " << position.id << " given twice";
    if (epoch_of.count(s.room) == 0) epoch_of[s.room] = position.epoch;
    EXPECT_EQ(position.epoch, epoch_of[s.room]);
    auto& last = last_id_of_link[{s.room, s.link}];
    EXPECT_GT(position.id, last) << "a link's own lines keep the order it sent them in";
    last = position.id;
  }
  for (const auto& room : rooms) {
    const auto& ids = text_of[room];
    ASSERT_EQ(ids.size(), static_cast<std::size_t>(kPerLink));
    EXPECT_EQ(ids.begin()->first, 1);
    EXPECT_EQ(ids.rbegin()->first, kPerLink) << "ids 1..n, no number skipped";
  }

  // The subscriber: every line of each room, in id order, with the text that got that id.
  ASSERT_TRUE(loop.run_until([&] {
    return watcher->received["lobby"].size() >= kPerLink && watcher->received["games"].size() >= kPerLink;
  }));
  for (const auto& room : rooms) {
    const auto& got = watcher->received[room];
    ASSERT_EQ(got.size(), static_cast<std::size_t>(kPerLink));
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].line.id, static_cast<std::int64_t>(i + 1));
      EXPECT_EQ(got[i].epoch, epoch_of[room]);
      EXPECT_EQ(got[i].line.text, text_of[room][got[i].line.id]);
      EXPECT_EQ(got[i].line.user, "ann");
      EXPECT_EQ(got[i].line.ts, 1700000000000);
    }
  }

  // History, paging back from the newest and on from the start: the same lines, in id order.
  for (const auto& room : rooms) {
    for (bool backwards : {true, false}) {
      const auto all = read_all(*b, room, backwards, 40);
      ASSERT_EQ(all.size(), static_cast<std::size_t>(kPerLink)) << room << (backwards ? " back" : " on");
      for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].id, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(all[i].text, text_of[room][all[i].id]);
      }
    }
  }
  // Exclusive bounds: after_id / before_id themselves are not in the page.
  const auto after = read(*a, "lobby", false, 10, 3);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->lines.size(), 3u);
  EXPECT_EQ(after->lines.front().id, 11);
  EXPECT_TRUE(after->more);
  const auto before = read(*a, "lobby", true, 10, 20);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->lines.size(), 9u);
  EXPECT_EQ(before->lines.back().id, 9);
  EXPECT_FALSE(before->more);
  const auto past_end = read(*a, "lobby", false, kPerLink, 5);
  ASSERT_TRUE(past_end);
  EXPECT_TRUE(past_end->lines.empty());
  EXPECT_FALSE(past_end->more);
  const auto unknown_room = read(*a, "nobody here", true, 0, 5);
  ASSERT_TRUE(unknown_room);
  EXPECT_TRUE(unknown_room->lines.empty());
}

TEST_F(RedisRoomLogTest, RedisRestartedTheLinksReconnectResubscribeAndIdsContinue) {
  auto writer = node("writer");
  auto reader = node("reader");
  reader->log.subscribe("lobby");
  ASSERT_TRUE(wait_subscribed(*reader, "lobby", 1));
  Position last;
  for (int i = 1; i <= 3; ++i) last = publish_and_wait(*writer, "lobby", "before " + std::to_string(i));
  EXPECT_EQ(last.id, 3);
  ASSERT_TRUE(loop.run_until([&] { return reader->received["lobby"].size() == 3; }));

  redis.kill9();
  ASSERT_TRUE(loop.run_until([&] {
    return writer->commands.state() != LinkState::connected && reader->pubsub.state() != LinkState::connected;
  }));
  // Meanwhile a line is refused (never accepted without being stored), and not inside publish().
  auto refused = publish(*writer, "lobby", "while down");
  EXPECT_FALSE(refused->done) << "the callback must not run inside publish()";
  ASSERT_TRUE(loop.run_until([&] { return refused->done; }));
  EXPECT_FALSE(refused->position);
  EXPECT_FALSE(refused->error.empty());

  redis.start();  // same port, same folder: the append-only file brings the room back
  ASSERT_TRUE(loop.run_until([&] { return writer->up() && reader->up(); })) << writer->last_reason;
  ASSERT_TRUE(wait_subscribed(*reader, "lobby", 2)) << "the channel must be subscribed again";

  const Position next = publish_and_wait(*writer, "lobby", "after");
  EXPECT_EQ(next.id, 4) << "the id continues: appendfsync always kept the counter";
  EXPECT_EQ(next.epoch, last.epoch);
  ASSERT_TRUE(loop.run_until([&] { return reader->received["lobby"].size() == 4; }))
      << "the subscriber got nothing after the restart: silently unsubscribed";
  EXPECT_EQ(reader->received["lobby"].back().line.id, 4);
  EXPECT_EQ(reader->received["lobby"].back().line.text, "after");
  const auto all = read_all(*reader, "lobby", true, 50);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.front().text, "before 1");
  EXPECT_EQ(all.back().text, "after");
}

TEST_F(RedisRoomLogTest, ARedisThatStopsAnsweringIsDroppedAndRejoined) {
  auto writer = node("writer");
  auto reader = node("reader");
  reader->log.subscribe("lobby");
  ASSERT_TRUE(wait_subscribed(*reader, "lobby", 1));
  EXPECT_EQ(publish_and_wait(*writer, "lobby", "one").id, 1);

  redis.pause();  // the links stay open; only the probes can tell
  auto stuck = publish(*writer, "lobby", "sent while frozen");
  ASSERT_TRUE(loop.run_until([&] { return stuck->done; })) << "a publish must not wait for ever";
  EXPECT_FALSE(stuck->position);
  EXPECT_NE(stuck->error.find("connection lost"), std::string::npos) << stuck->error;
  ASSERT_TRUE(loop.run_until([&] { return reader->pubsub.state() != LinkState::connected; }))
      << "the subscribed link notices too";
  redis.resume();

  ASSERT_TRUE(loop.run_until([&] { return writer->up() && reader->up(); }));
  ASSERT_TRUE(wait_subscribed(*reader, "lobby", 2));
  const Position next = publish_and_wait(*writer, "lobby", "after");
  // The frozen publish's outcome was unknown ("connection lost", not "not connected"): Redis read
  // it from the closed link when it woke, or not. Either way no id is skipped or given twice.
  EXPECT_TRUE(next.id == 2 || next.id == 3) << next.id;
  const auto all = read_all(*writer, "lobby", false, 50);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(next.id));
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].id, static_cast<std::int64_t>(i + 1));
  ASSERT_TRUE(loop.run_until([&] {
    return !reader->received["lobby"].empty() && reader->received["lobby"].back().line.id == next.id;
  }));
}

TEST_F(RedisRoomLogTest, CorruptStreamEntriesAndPeerMessagesAreSkipped) {
  auto writer = node("writer");
  auto reader = node("reader");
  reader->log.subscribe("lobby");
  ASSERT_TRUE(wait_subscribed(*reader, "lobby", 1));
  const RedisKeys& keys = writer->log.keys();
  publish_and_wait(*writer, "lobby", "one");
  // Entries 2 and 3 written by something that is not our script (another version, a hand edit).
  ASSERT_EQ(redis.command({"HINCRBY", keys.meta("lobby"), "id", "2"}), "3");
  ASSERT_EQ(redis.command({"XADD", keys.stream("lobby"), "2-0", "garbage", "x"}), "2-0");
  ASSERT_EQ(redis.command({"XADD", keys.stream("lobby"), "3-0", "ts", "soon", "user", "u", "text", "t"}), "3-0");
  // Messages on the room's channel that no node of ours would publish.
  for (const char* junk : {"garbage", "5:e:1:99:short", "6:e:1:1:\xff"}) {
    ASSERT_EQ(redis.command({"PUBLISH", keys.channel("lobby"), junk}), "1");
  }
  EXPECT_EQ(publish_and_wait(*writer, "lobby", "four").id, 4);

  ASSERT_TRUE(loop.run_until([&] { return reader->received["lobby"].size() == 2; }));
  EXPECT_EQ(reader->received["lobby"][0].line.text, "one");
  EXPECT_EQ(reader->received["lobby"][1].line.text, "four");
  EXPECT_EQ(reader->log.skipped_messages(), 3u);

  const auto page = read(*reader, "lobby", true, 0, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->lines.size(), 2u);
  EXPECT_EQ(page->lines[0].id, 1);
  EXPECT_EQ(page->lines[1].id, 4);
  EXPECT_EQ(page->skipped, 2u);
}

TEST_F(RedisRoomLogTest, AFlushedScriptCacheFallsBackToEval) {
  auto writer = node("writer");
  EXPECT_EQ(publish_and_wait(*writer, "lobby", "one").id, 1);
  ASSERT_EQ(redis.command({"SCRIPT", "FLUSH"}), "OK");
  EXPECT_EQ(publish_and_wait(*writer, "lobby", "two").id, 2);
  EXPECT_EQ(publish_and_wait(*writer, "lobby", "three").id, 3);
}

TEST_F(RedisRoomLogTest, AFailedAppendTakesItsIdBack) {
  auto writer = node("writer");
  const RedisKeys& keys = writer->log.keys();
  EXPECT_EQ(publish_and_wait(*writer, "lobby", "one").id, 1);
  // A stream entry above the counter makes the next XADD fail; the id must not be used up.
  ASSERT_EQ(redis.command({"XADD", keys.stream("lobby"), "5-0", "ts", "1", "user", "u", "text", "t"}), "5-0");
  auto failed = publish(*writer, "lobby", "refused");
  ASSERT_TRUE(loop.run_until([&] { return failed->done; }));
  EXPECT_FALSE(failed->position);
  EXPECT_NE(failed->error.find("equal or smaller"), std::string::npos) << failed->error;
  EXPECT_EQ(redis.command({"HGET", keys.meta("lobby"), "id"}), "1");
}

TEST_F(RedisRoomLogTest, UnsubscribedRoomsStayQuiet) {
  auto writer = node("writer");
  auto reader = node("reader");
  reader->log.subscribe("lobby");
  reader->log.subscribe("games");
  ASSERT_TRUE(wait_subscribed(*reader, "games", 1));
  ASSERT_TRUE(wait_subscribed(*reader, "lobby", 1));
  reader->log.unsubscribe("lobby");
  publish_and_wait(*writer, "lobby", "unheard");
  publish_and_wait(*writer, "games", "heard");
  ASSERT_TRUE(loop.run_until([&] { return reader->received["games"].size() == 1; }));
  EXPECT_TRUE(reader->received["lobby"].empty());
}

TEST_F(RedisRoomLogTest, AHostNameIsResolvedOffTheLoop) {
  RedisUrl by_name = url();
  by_name.host = "localhost";  // may give ::1 first, where the test Redis does not listen: then 127.0.0.1
  auto found = quick_link_options("by-name");
  RedisConnection link(loop.get(), by_name, found);
  link.start();
  ASSERT_TRUE(loop.run_until([&] { return link.state() == LinkState::connected; }));
  bool answered = false;
  link.command({"PING"}, [&](const RedisReply& reply) {
    EXPECT_EQ(reply.text, "PONG");
    answered = true;
  });
  ASSERT_TRUE(loop.run_until([&] { return answered; }));
}

TEST_F(RedisRoomLogTest, DestroyedWithCommandsInFlightCallsNoOneBack) {
  auto writer = node("writer");
  writer->log.subscribe("lobby");
  int answered = 0;
  for (int i = 0; i < 100; ++i) {
    writer->log.publish("lobby", 1, "ann", "in flight", [&](std::optional<Position>, const std::string&) { ++answered; });
  }
  writer.reset();  // with 100 publishes unanswered and a subscription pending
  auto other = node("other");  // the loop goes on running, the released handles with it
  EXPECT_EQ(publish_and_wait(*other, "lobby", "after").epoch.size(), 16u);
  EXPECT_EQ(answered, 0);
}

}  // namespace
}  // namespace chat::redis
