// OutgoingQueue: FIFO, byte accounting, and the bound that protects the server from slow readers.
#include "server/lws/outgoing_queue.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(OutgoingQueue, FifoWithByteCount) {
  OutgoingQueue queue(100);
  EXPECT_TRUE(queue.empty());
  ASSERT_TRUE(queue.push(share("one")));
  ASSERT_TRUE(queue.push(share("three")));
  EXPECT_EQ(queue.bytes(), 8u);
  EXPECT_EQ(queue.front(), "one");
  queue.pop();
  EXPECT_EQ(queue.front(), "three");
  EXPECT_EQ(queue.bytes(), 5u);
  queue.pop();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutgoingQueue, RefusesPastTheBoundAndQueuesNothing) {
  OutgoingQueue queue(10);
  ASSERT_TRUE(queue.push(share("123456")));
  EXPECT_FALSE(queue.push(share("12345")));
  EXPECT_EQ(queue.bytes(), 6u);
  EXPECT_TRUE(queue.push(share("1234")));  // exactly at the bound is fine
  EXPECT_EQ(queue.bytes(), 10u);
}

TEST(OutgoingQueue, SharesTheSameBytesAcrossQueues) {
  const SharedText frame = share("broadcast");
  OutgoingQueue a(100), b(100);
  a.push(frame);
  b.push(frame);
  EXPECT_EQ(&a.front(), &b.front());
  EXPECT_EQ(frame.use_count(), 3);
  a.clear();
  EXPECT_EQ(frame.use_count(), 2);
  EXPECT_EQ(a.bytes(), 0u);
}

}  // namespace
}  // namespace chat
