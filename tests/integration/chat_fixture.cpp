// Fixture plumbing shared by all integration suites.
#include "chat_fixture.hpp"

#include <sys/wait.h>

#include <atomic>
#include <iostream>
#include <thread>

namespace chat_it {

void ChatServerTest::SetUp() { server_ = std::make_unique<ServerProcess>(); }

void ChatServerTest::TearDown() {
  if (!server_) return;
  const bool was_running = !server_->exited();
  const int status = server_->stop();
  if (was_running) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "server after SIGTERM: " << ServerProcess::describe_status(status);
  }
  if (HasFailure()) std::cerr << "--- server output ---\n" << server_->output() << "\n";
  server_.reset();
}

std::unique_ptr<ChatTestClient> ChatServerTest::connect(const HandshakeOptions& options) {
  auto client = std::make_unique<ChatTestClient>(port(), options);
  client->set_label("new connection, waiting for its rooms frame");
  client->expect_rooms();
  client->set_label("(not logged in)");
  return client;
}

std::unique_ptr<ChatTestClient> ChatServerTest::connect_as(const std::string& name) {
  auto client = connect();
  client->login(name);
  return client;
}

void ChatServerTest::expect_served(const std::string& room, const std::vector<ChatTestClient*>& members) {
  // One speaker at a time: the protocol orders lines per sender, not across senders.
  for (auto* speaker : members) {
    const std::string line = unique_text("served-" + speaker->name());
    speaker->send(chat::SendMessage{line});
    for (auto* listener : members) listener->expect_chat(speaker->name(), room, line);
  }
  for (auto* listener : members) listener->expect_no_frame(milliseconds(100));
}

::testing::AssertionResult is_documented_frame(const std::string& raw, const std::string& documented) {
  const std::string fields = documented.substr(0, documented.size() - 1);  // without the final '}'
  if (raw == documented || (raw.rfind(fields + ",", 0) == 0 && raw.back() == '}')) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "frame\n  " << raw << "\ndoes not start as documented\n  " << documented;
}

std::string unique_text(const std::string& tag) {
  static std::atomic<int> counter{0};
  return tag + " #" + std::to_string(++counter);
}

bool login_when_free(ChatTestClient& client, const std::string& name, Deadline deadline) {
  for (;;) {
    if (client.try_login(name)) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(200));
  }
}

void drain(ChatTestClient& client, milliseconds quiet) {
  while (client.receive(quiet)) {
  }
}

}  // namespace chat_it
