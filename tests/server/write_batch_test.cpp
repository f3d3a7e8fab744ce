// fill_write_batch: what one write to the kernel carries (the ping first, then whole frames up to
// the bound, always at least one message), framed after whatever the buffer already holds.
#include "server/lws/write_batch.hpp"

#include <gtest/gtest.h>

#include "server/lws/websocket_frame.hpp"

namespace chat {
namespace {

std::string framed(std::string_view payload) {
  std::string out;
  append_text_frame(out, payload);
  return out;
}

TEST(WriteBatch, FramesEveryQueuedMessageAfterWhatTheBufferHolds) {
  OutgoingQueue queue(1000);
  ASSERT_TRUE(queue.push(share("one")));
  ASSERT_TRUE(queue.push(share("two")));
  std::string out = "PRE";  // lws's LWS_PRE room, left as it is
  EXPECT_EQ(fill_write_batch(out, queue, false, 100), 10u);
  EXPECT_EQ(out, "PRE" + framed("one") + framed("two"));
  EXPECT_TRUE(queue.empty());
}

TEST(WriteBatch, StopsBeforeTheFrameThatWouldPassTheBound) {
  OutgoingQueue queue(1000);
  for (const char* text : {"aaaa", "bbbb", "cccc"}) ASSERT_TRUE(queue.push(share(text)));
  std::string out = "PRE";
  EXPECT_EQ(fill_write_batch(out, queue, false, 12), 12u);  // two 6-byte frames fit exactly
  EXPECT_EQ(out, "PRE" + framed("aaaa") + framed("bbbb"));
  EXPECT_EQ(queue.front(), "cccc");
}

TEST(WriteBatch, TakesOneMessageLargerThanTheBoundWhenNothingIsFramedYet) {
  OutgoingQueue queue(1000);
  ASSERT_TRUE(queue.push(share(std::string(50, 'x'))));
  ASSERT_TRUE(queue.push(share("next")));
  std::string out;
  EXPECT_EQ(fill_write_batch(out, queue, false, 10), 52u);
  EXPECT_EQ(out, framed(std::string(50, 'x')));
  EXPECT_EQ(queue.front(), "next");
}

TEST(WriteBatch, TheOwedPingGoesFirstAndCountsAgainstTheBound) {
  OutgoingQueue queue(1000);
  ASSERT_TRUE(queue.push(share(std::string(50, 'x'))));
  std::string ping;
  append_ping_frame(ping);
  std::string out;
  EXPECT_EQ(fill_write_batch(out, queue, true, 10), ping.size());  // the large message waits
  EXPECT_EQ(out, ping);
  EXPECT_FALSE(queue.empty());
  out.clear();
  ASSERT_TRUE(queue.push(share("hi")));
  EXPECT_EQ(fill_write_batch(out, queue, false, 10), 52u);
  EXPECT_EQ(fill_write_batch(out, queue, true, 10), ping.size() + 4);
  EXPECT_EQ(out, framed(std::string(50, 'x')) + ping + framed("hi"));
}

TEST(WriteBatch, NothingQueuedAndNoPingAppendsNothing) {
  OutgoingQueue queue(1000);
  std::string out = "PRE";
  EXPECT_EQ(fill_write_batch(out, queue, false), 0u);
  EXPECT_EQ(out, "PRE");
}

}  // namespace
}  // namespace chat
