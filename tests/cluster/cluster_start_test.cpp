// A node that has printed "listening on" (and told systemd READY) is a full member at once: its
// first v2 login gets a saved token and its first line is stored, with no window in which it
// refuses because its own links to Redis are still coming up. Restarted nodes behind a load
// balancer get traffic the moment they listen.
#include <sys/wait.h>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using ClusterStartTest = ClusterTest;

TEST_F(ClusterStartTest, ANodeThatSaysListeningServesItsFirstRequestsAtOnce) {
  constexpr int kRestarts = 9;  // the window is short: several tries make it show
  for (int round = 0; round < kRestarts; ++round) {
    const int index = round % kNodes;
    SCOPED_TRACE("restart " + std::to_string(round) + " of node " + std::to_string(index));
    ASSERT_EQ(node(index).stop(), 0);
    restart_node(index);
    auto first = connect_v2(index, "first" + std::to_string(round));  // no "resume token not saved"
    const std::string text = unique_text("first line");
    const auto outcome = send_line(*first, "general", text, kReplyTimeout);
    ASSERT_TRUE(outcome.stored) << "refused: " << preview(first->last_raw());
    first->close(1000);
  }
}

}  // namespace
}  // namespace chat_it
