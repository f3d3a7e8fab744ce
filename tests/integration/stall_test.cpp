// A server whose loop stood still (here: stopped with SIGSTOP for longer than the 10 s liveness
// limit) must not take its clients for dead when it resumes: it could not read them meanwhile.
// (A handshake under way is not covered: libwebsockets' own 10 s timer, which counts the stall,
// may still cut it, as an ASan run under a CPU hog showed.)
#include "chat_fixture.hpp"

#include <signal.h>

namespace chat_it {
namespace {

using StallTest = ChatServerTest;

// Resumes the server however the test ends, so that TearDown can stop it.
class Stopped {
 public:
  explicit Stopped(pid_t pid) : pid_(pid) { ::kill(pid_, SIGSTOP); }
  ~Stopped() { resume(); }
  void resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

constexpr milliseconds kStall{12000};  // longer than the 10 s after which a silent client is dropped

TEST_F(StallTest, ClientsAreNotDroppedForTheTimeTheServerStoodStill) {
  auto alice = connect_as("alice");
  std::vector<std::unique_ptr<ChatTestClient>> idle;  // quiet, but would answer any ping
  for (int i = 0; i < 20; ++i) idle.push_back(connect_as("idle" + std::to_string(i)));
  drain(*alice, milliseconds(200));
  for (auto& client : idle) drain(*client, milliseconds(0));
  const std::string text = unique_text("sent while the server was stopped");
  {
    Stopped stopped(server().pid());
    std::this_thread::sleep_for(milliseconds(500));
    alice->send(chat::ClientFrame{chat::SendMessage{text}});  // waits in the server's socket
    std::this_thread::sleep_for(kStall);
  }
  alice->expect_chat("alice", "general", text);
  for (auto& client : idle) client->expect_chat("alice", "general", text);
  std::vector<ChatTestClient*> everyone{alice.get()};
  for (auto& client : idle) everyone.push_back(client.get());
  expect_served("general", everyone);
}

}  // namespace
}  // namespace chat_it
