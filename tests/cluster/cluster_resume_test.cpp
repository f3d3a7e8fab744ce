// A v2 client that drops from one node resumes on another and gets exactly the lines it missed:
// after a plain drop, after kill -9 of its node, and after kill -9 and restart of Redis (whose
// appendfsync always keeps every line anyone received). No sticky sessions needed.
#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

class ClusterResumeTest : public ClusterTest {
 protected:
  // Seed bob on node B and v2 alice on node A, in general; bob says `seen` lines alice receives.
  // Returns the id of the last one.
  std::int64_t meet(ChatTestClient& bob, ChatTestClient& alice, int seen) {
    std::int64_t last = 0;
    for (int i = 0; i < seen; ++i) {
      const std::string text = unique_text("seen");
      bob.send(chat::SendMessage{text});
      expect_line(bob, "bob", "general", text);
      last = expect_line(alice, "bob", "general", text).id;
      last_text_ = text;
    }
    return last;
  }

  // bob says `count` lines while alice is away; returns their texts.
  std::vector<std::string> say_missed(ChatTestClient& bob, int count) {
    std::vector<std::string> texts;
    for (int i = 0; i < count; ++i) {
      texts.push_back(unique_text("missed"));
      bob.send(chat::SendMessage{texts.back()});
      expect_line(bob, "bob", "general", texts.back());
    }
    return texts;
  }

  // A new connection to `index` resumes alice after `after_id`; its members frame is read.
  std::unique_ptr<ChatTestClient> resume_alice(int index, const std::string& token, std::int64_t after_id) {
    auto back = connect(index);
    back->resume(chat::Resume{token, "general", after_id}, "alice", "general");
    const auto frame = next_non_notice(*back);
    if (!std::holds_alternative<chat::MembersFrame>(frame)) back->fail("expected members, got " + preview(back->last_raw()));
    return back;
  }

  // After the catch-up, the resumed connection is alice in general on its new node, both ways.
  void expect_live_both_ways(ChatTestClient& bob, ChatTestClient& back, std::int64_t next_id) {
    const std::string from_bob = unique_text("live from bob");
    bob.send(chat::SendMessage{from_bob});
    expect_line(bob, "bob", "general", from_bob);
    EXPECT_EQ(expect_line(back, "bob", "general", from_bob).id, next_id);
    const std::string from_alice = unique_text("live from alice");
    back.send(chat::SendMessage{from_alice});
    expect_line(back, "alice", "general", from_alice);
    expect_line(bob, "alice", "general", from_alice);
  }

  std::string last_text_;  // the last line meet() had said
};

TEST_F(ClusterResumeTest, AfterADropAliceResumesOnAnotherNodeWithExactlyTheMissedLines) {
  auto bob = connect_as(1, "bob");
  auto alice = connect_v2(0, "alice");
  const std::int64_t last_seen = meet(*bob, *alice, 3);
  const std::string token = alice->token();
  alice->abort();
  const auto missed = say_missed(*bob, 5);

  auto back = resume_alice(2, token, last_seen);
  const auto caught_up = lines_until(*back, "general", missed.back(), kReplyTimeout);
  EXPECT_EQ(texts_of(caught_up), missed);
  EXPECT_TRUE(ids_are_consecutive(caught_up, last_seen + 1));
  expect_live_both_ways(*bob, *back, last_seen + 6);
}

TEST_F(ClusterResumeTest, AfterKillNineOfItsNodeAliceResumesOnAnotherNode) {
  auto bob = connect_as(1, "bob");
  auto alice = connect_v2(0, "alice");
  const std::int64_t last_seen = meet(*bob, *alice, 3);
  const std::string token = alice->token();
  node(0).kill9();
  ASSERT_TRUE(node(0).wait_exit(milliseconds(10000)).has_value());
  const auto missed = say_missed(*bob, 5);

  auto back = resume_alice(2, token, last_seen);
  const auto caught_up = lines_until(*back, "general", missed.back(), kReplyTimeout);
  EXPECT_EQ(texts_of(caught_up), missed);
  EXPECT_TRUE(ids_are_consecutive(caught_up, last_seen + 1));
  expect_live_both_ways(*bob, *back, last_seen + 6);

  // The killed node comes back into the cluster with every line.
  restart_node(0);
  auto writer = connect_as(0, "writer");
  std::vector<chat::ChatLine> ignored;
  say_when_stored(*writer, "general", ignored, milliseconds(60000));  // its Redis links are up
  auto reader = connect_v2(0, "reader");
  const auto all = read_whole_history(*reader, "general", 4);
  ASSERT_EQ(all.size(), 3u + 5u + 2u + 1u);
  EXPECT_TRUE(ids_are_consecutive(all, 1));
  EXPECT_EQ(all.back().user, "writer");
}

TEST_F(ClusterResumeTest, AfterKillNineAndRestartOfRedisNoLineAnyoneReceivedIsLost) {
  auto bob = connect_as(1, "bob");
  auto alice = connect_v2(0, "alice");
  auto carol = connect_as(0, "carol");  // stays on node A through the restart
  auto dave = connect_v2(2, "dave");    // stays on node C through the restart
  const std::int64_t last_seen = meet(*bob, *alice, 3);
  for (auto* listener : {carol.get(), dave.get()}) lines_until(*listener, "general", last_text_, kReplyTimeout);
  const std::string token = alice->token();
  alice->abort();

  redis().kill9();
  redis().start();  // from its append-only file (appendfsync always)
  // Every line each one got from now on, their own included. Each node reconnects by itself (with
  // backoff): a line stored by carol (node A) and by dave (node C) shows theirs are back.
  std::vector<chat::ChatLine> bob_received, carol_received, dave_received;
  say_when_stored(*carol, "general", carol_received, milliseconds(60000));
  say_when_stored(*dave, "general", dave_received, milliseconds(60000));
  for (int i = 0; i < 4; ++i) say_when_stored(*bob, "general", bob_received, milliseconds(60000));

  auto back = resume_alice(2, token, last_seen);
  const chat::ChatLine marker = say_when_stored(*bob, "general", bob_received, milliseconds(60000));
  const auto expected = texts_of(bob_received);
  const auto caught_up = lines_until(*back, "general", marker.text, milliseconds(30000));
  EXPECT_EQ(texts_of(caught_up), expected);
  EXPECT_TRUE(ids_are_consecutive(caught_up, last_seen + 1));
  for (auto [listener, received] : {std::pair{carol.get(), &carol_received}, std::pair{dave.get(), &dave_received}}) {
    SCOPED_TRACE(listener->name());  // no gap, no duplicate for those who stayed connected
    const auto rest = lines_until(*listener, "general", marker.text, milliseconds(30000));
    received->insert(received->end(), rest.begin(), rest.end());
    EXPECT_EQ(texts_of(*received), expected);
  }
  expect_live_both_ways(*bob, *back, last_seen + static_cast<std::int64_t>(expected.size()) + 1);
}

}  // namespace
}  // namespace chat_it
