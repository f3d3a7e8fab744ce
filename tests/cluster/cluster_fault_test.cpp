// Redis gone for about 5 s (SIGSTOP, or kill -9 then a restart) while every node is under load:
// lines are refused meanwhile with store_unavailable or server_busy, never accepted and lost; once
// Redis is back every line any client received is in history, and no client has a gap or a
// duplicate (its lines are one contiguous stretch of the room's history).
#include <atomic>
#include <iostream>
#include <map>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using namespace std::chrono_literals;

// One client sending line after line from its own thread, each time until its echo or a refusal,
// and keeping every line of general it receives.
struct Speaker {
  std::unique_ptr<ChatTestClient> client;
  std::vector<chat::ChatLine> received;
  std::atomic<int> stored{0};
  std::atomic<int> refused{0};
  std::atomic<bool> failed{false};
  std::string failure;
};

class ClusterFaultTest : public ClusterTest {
 protected:
  enum class Outage { stopped, killed };

  void run_under_load(Outage outage) {
    std::vector<std::unique_ptr<Speaker>> speakers;
    for (int i = 0; i < kNodes; ++i) {
      for (const bool v2 : {false, true}) {
        auto speaker = std::make_unique<Speaker>();
        const std::string name = (v2 ? "v2user" : "seed") + std::to_string(i);
        speaker->client = v2 ? connect_v2(i, name) : connect_as(i, name);
        speakers.push_back(std::move(speaker));
      }
    }
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<JoinedThread>> threads;
    for (auto& speaker : speakers) {
      threads.push_back(std::make_unique<JoinedThread>([&stop, s = speaker.get()] {
        try {
          while (!stop) {
            auto outcome = send_line(*s->client, "general", unique_text("load from " + s->client->name()), 60s);
            s->received.insert(s->received.end(), outcome.received.begin(), outcome.received.end());
            ++(outcome.stored ? s->stored : s->refused);
            if (!outcome.stored) std::this_thread::sleep_for(20ms);  // a retry interval, as a client's
          }
        } catch (const std::exception& error) {
          s->failure = error.what();
          s->failed = true;
        }
      }));
    }
    const auto all_stored_at_least = [&](const std::vector<int>& floor, int more, Deadline deadline) {
      while (Clock::now() < deadline) {
        bool done = true;
        for (std::size_t i = 0; i < speakers.size(); ++i) {
          if (speakers[i]->failed) return false;
          done = done && speakers[i]->stored >= floor[i] + more;
        }
        if (done) return true;
        std::this_thread::sleep_for(20ms);  // polling the counters, not waiting for an outcome
      }
      return false;
    };
    const auto refusals = [&] {
      int total = 0;
      for (auto& speaker : speakers) total += speaker->refused;
      return total;
    };
    const auto any_failed = [&] {
      for (auto& speaker : speakers) {
        if (speaker->failed) return true;
      }
      return false;
    };

    const std::vector<int> zero(speakers.size(), 0);
    EXPECT_TRUE(all_stored_at_least(zero, 5, deadline_in(60s))) << "every speaker is served before the outage";
    const int refusals_before = refusals();
    if (outage == Outage::stopped) {
      redis().pause();
    } else {
      redis().kill9();
    }
    std::this_thread::sleep_for(5s);  // the outage's length is the test's own choice
    // Lines go on being sent; wait until the nodes have refused some, so the outage was seen.
    for (const Deadline deadline = deadline_in(60s); refusals() == refusals_before && Clock::now() < deadline && !any_failed();) {
      std::this_thread::sleep_for(20ms);
    }
    const int refused_during_outage = refusals() - refusals_before;
    if (outage == Outage::stopped) {
      redis().resume();
    } else {
      redis().start();
    }
    std::vector<int> after_outage;
    for (auto& speaker : speakers) after_outage.push_back(speaker->stored);
    EXPECT_TRUE(all_stored_at_least(after_outage, 5, deadline_in(90s))) << "every speaker is served again";
    stop = true;
    for (auto& thread : threads) thread->join();
    for (auto& speaker : speakers) {
      ASSERT_FALSE(speaker->failed) << speaker->client->name() << ": " << speaker->failure;
    }
    EXPECT_GT(refused_during_outage, 0) << "no line was refused while Redis was away";
    int stored = 0;
    for (auto& speaker : speakers) stored += speaker->stored;
    std::cerr << "lines stored " << stored << ", refused " << refusals() << " (" << refused_during_outage
              << " while Redis was away)\n";

    // A last line, said once Redis is surely back: everyone reads up to it.
    auto& last_speaker = *speakers.front();
    const chat::ChatLine marker = say_when_stored(*last_speaker.client, "general", last_speaker.received, 60s);
    for (auto& speaker : speakers) {
      if (speaker.get() == &last_speaker) continue;
      const auto rest = lines_until(*speaker->client, "general", marker.text, 30s);
      speaker->received.insert(speaker->received.end(), rest.begin(), rest.end());
    }

    auto reader = connect_v2(1, "reader");
    const auto history = read_whole_history(*reader, "general", 200);
    std::map<std::string, std::size_t> position;  // text -> index in history
    for (std::size_t i = 0; i < history.size(); ++i) position.emplace(history[i].text, i);
    ASSERT_EQ(position.size(), history.size()) << "a line is twice in history";
    EXPECT_TRUE(ids_are_consecutive(history, 1)) << "the Redis engine never skips an id";
    for (auto& speaker : speakers) {
      SCOPED_TRACE(speaker->client->name());
      const auto& lines = speaker->received;
      ASSERT_FALSE(lines.empty());
      const auto first = position.find(lines.front().text);
      ASSERT_NE(first, position.end()) << "received but not in history: " << lines.front().text;
      // One contiguous stretch of history: every line in it, none twice, none missing in between.
      for (std::size_t k = 0; k < lines.size(); ++k) {
        const std::size_t at = first->second + k;
        ASSERT_LT(at, history.size()) << "received more lines than history holds after the first";
        ASSERT_EQ(lines[k].text, history[at].text)
            << "line " << k << " received; a gap, a duplicate or a line missing from history";
        if (lines[k].id != 0) {
          ASSERT_EQ(lines[k].id, history[at].id);
        }
      }
      EXPECT_EQ(lines.back().text, marker.text);
    }
  }
};

TEST_F(ClusterFaultTest, RedisStoppedFiveSecondsUnderLoadLosesNoAcceptedLineAndLeavesNoGap) {
  run_under_load(Outage::stopped);
}

TEST_F(ClusterFaultTest, RedisKilledAndRestartedUnderLoadLosesNoAcceptedLineAndLeavesNoGap) {
  run_under_load(Outage::killed);
}

}  // namespace
}  // namespace chat_it
