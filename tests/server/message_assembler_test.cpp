// MessageAssembler: pieces join into one message, the cap holds, binary is remembered per message.
#include "server/lws/message_assembler.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(MessageAssembler, JoinsPieces) {
  MessageAssembler assembler(100);
  ASSERT_TRUE(assembler.append("{\"a\":", false));
  ASSERT_TRUE(assembler.append("1}", false));
  EXPECT_EQ(assembler.message(), "{\"a\":1}");
  EXPECT_FALSE(assembler.binary());
  assembler.reset();
  ASSERT_TRUE(assembler.append("x", true));
  EXPECT_EQ(assembler.message(), "x");
  EXPECT_TRUE(assembler.binary());
}

TEST(MessageAssembler, BinaryFlagComesFromTheFirstPiece) {
  MessageAssembler assembler(100);
  ASSERT_TRUE(assembler.append("a", true));
  ASSERT_TRUE(assembler.append("b", false));  // continuation frames carry no type
  EXPECT_TRUE(assembler.binary());
}

TEST(MessageAssembler, RefusesPastTheCap) {
  MessageAssembler assembler(5);
  ASSERT_TRUE(assembler.append("abc", false));
  EXPECT_FALSE(assembler.append("def", false));
  assembler.reset();
  EXPECT_TRUE(assembler.append("abcde", false));
}

}  // namespace
}  // namespace chat
