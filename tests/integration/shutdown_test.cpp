// SIGTERM: every connected client, logged in or not, gets close 1001 and the process exits 0.
#include "chat_fixture.hpp"

#include <sys/wait.h>

namespace chat_it {
namespace {

using ShutdownTest = ChatServerTest;

TEST_F(ShutdownTest, SigtermSendsGoingAwayToEveryClientAndExitsZero) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto guest = connect();
  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_room_created("jeux");
  for (auto* c : {alice.get(), bob.get(), guest.get()}) c->expect_rooms();
  bob->send(chat::JoinRoom{"jeux"});
  bob->expect_joined("jeux");

  server().terminate();
  for (auto* c : {alice.get(), bob.get(), guest.get()}) c->expect_close(1001);
  const auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << ServerProcess::describe_status(*status);
}

TEST_F(ShutdownTest, SigtermWithNoClientsExitsZero) {
  server().terminate();
  const auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status.has_value()) << "still running 5 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << ServerProcess::describe_status(*status);
}

}  // namespace
}  // namespace chat_it
