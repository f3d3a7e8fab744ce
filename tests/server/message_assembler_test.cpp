// MessageAssembler: pieces join into one message, the cap holds, binary is remembered per message,
// and a message in one piece is handed over where it lies, not copied.
#include "server/lws/message_assembler.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat {
namespace {

using Status = MessageAssembler::Status;

TEST(MessageAssembler, JoinsPieces) {
  MessageAssembler assembler(100);
  ASSERT_EQ(Status::partial, assembler.take("{\"a\":", false, false));
  ASSERT_EQ(Status::complete, assembler.take("1}", false, true));
  EXPECT_EQ(assembler.message(), "{\"a\":1}");
  EXPECT_FALSE(assembler.binary());
  assembler.reset();
  ASSERT_EQ(Status::complete, assembler.take("x", true, true));
  EXPECT_EQ(assembler.message(), "x");
  EXPECT_TRUE(assembler.binary());
}

TEST(MessageAssembler, AMessageInOnePieceIsNotCopied) {
  MessageAssembler assembler(100);
  const std::string received = "{\"action\":\"login\",\"user\":\"alice\"}";
  ASSERT_EQ(Status::complete, assembler.take(received, false, true));
  EXPECT_EQ(assembler.message().data(), received.data()) << "a view of the receive buffer";
  EXPECT_EQ(assembler.message(), received);
  assembler.reset();
  // After it, a pieced message is assembled as before, and a whole one is again a view.
  ASSERT_EQ(Status::partial, assembler.take("ab", false, false));
  ASSERT_EQ(Status::complete, assembler.take("cd", false, true));
  EXPECT_EQ(assembler.message(), "abcd");
  assembler.reset();
  ASSERT_EQ(Status::complete, assembler.take(received, false, true));
  EXPECT_EQ(assembler.message().data(), received.data());
}

TEST(MessageAssembler, BinaryFlagComesFromTheFirstPiece) {
  MessageAssembler assembler(100);
  ASSERT_EQ(Status::partial, assembler.take("a", true, false));
  ASSERT_EQ(Status::complete, assembler.take("b", false, true));  // continuation frames carry no type
  EXPECT_TRUE(assembler.binary());
}

TEST(MessageAssembler, RefusesPastTheCapInPiecesOrWhole) {
  MessageAssembler assembler(5);
  ASSERT_EQ(Status::partial, assembler.take("abc", false, false));
  EXPECT_EQ(Status::too_large, assembler.take("def", false, true));
  assembler.reset();
  EXPECT_EQ(Status::complete, assembler.take("abcde", false, true));
  assembler.reset();
  EXPECT_EQ(Status::too_large, assembler.take("abcdef", false, true));
}

}  // namespace
}  // namespace chat
