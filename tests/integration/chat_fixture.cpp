// Fixture plumbing shared by all integration suites.
#include "chat_fixture.hpp"

#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <thread>

namespace chat_it {
namespace {
constexpr std::size_t kMaxCatchUpFrameLines = 500;  // PROTOCOL.md, resume
}  // namespace

void ChatServerTest::SetUp() { server_ = std::make_unique<ServerProcess>(server_flags(), server_fd_limit()); }

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

void ChatServerTest::restart_after_clean_stop(const std::vector<ChatTestClient*>& clients) {
  server_->terminate();
  for (auto* client : clients) {
    while (auto frame = client->receive()) {
      if (frame->kind != WsMessage::Kind::text) break;
    }
  }
  const auto status = server_->wait_exit(std::chrono::milliseconds(5000));
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << (status ? ServerProcess::describe_status(*status) : "still running 5 s after SIGTERM");
  restart_server();
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

std::unique_ptr<ChatTestClient> ChatServerTest::connect_v2(const std::string& name, chat::HistoryFrame* history) {
  auto client = connect();
  client->login_v2(name);
  client->expect_members("general");
  auto latest = client->expect_history("general");
  if (history) *history = std::move(latest);
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

std::vector<chat::ChatLine> read_whole_history(ChatTestClient& client, const std::string& room, int limit) {
  std::vector<chat::ChatLine> newest_first;
  std::int64_t before_id = 0;
  for (bool more = true; more;) {
    client.send(chat::History{room, before_id, limit});
    const auto page = client.expect_history(room);
    // A page with older lines behind it must be full: it holds the `limit` newest below before_id.
    const std::size_t expected_size = static_cast<std::size_t>(limit);
    if (page.lines.size() > expected_size || (page.more && page.lines.size() != expected_size)) {
      client.fail("history page of " + std::to_string(page.lines.size()) + " lines for limit " +
                  std::to_string(limit) + ": " + preview(client.last_raw()));
    }
    for (auto line = page.lines.rbegin(); line != page.lines.rend(); ++line) {
      const std::int64_t bound = newest_first.empty() ? (before_id ? before_id : INT64_MAX) : newest_first.back().id;
      if (line->id >= bound) client.fail("history page out of order or overlapping: " + preview(client.last_raw()));
      newest_first.push_back(*line);
    }
    more = page.more;
    if (!page.lines.empty()) before_id = page.lines.front().id;
  }
  return {newest_first.rbegin(), newest_first.rend()};
}

std::vector<chat::ChatLine> collect_lines(ChatTestClient& client, const std::string& room, std::size_t count) {
  std::vector<chat::ChatLine> lines;
  while (lines.size() < count) {
    auto frame = client.next_json();
    if (auto* history = std::get_if<chat::HistoryFrame>(&frame); history && history->room == room) {
      if (history->lines.size() > kMaxCatchUpFrameLines) {
        client.fail("history frame of " + std::to_string(history->lines.size()) + " lines, at most " +
                    std::to_string(kMaxCatchUpFrameLines) + " allowed");
      }
      lines.insert(lines.end(), history->lines.begin(), history->lines.end());
      continue;
    }
    const auto* message = std::get_if<chat::MessageFrame>(&frame);
    if (!message || message->event != chat::Event::chat || message->room != room || !message->has_text) {
      client.fail("expected a line of " + room + " (" + std::to_string(lines.size()) + " of " +
                  std::to_string(count) + " so far), got " + preview(client.last_raw()));
    }
    lines.push_back(chat::ChatLine{message->id, message->ts, message->user, std::string(message->chat_text())});
  }
  if (lines.size() > count) client.fail("got " + std::to_string(lines.size()) + " lines, expected " + std::to_string(count));
  return lines;
}

std::vector<std::string> describe_lines(const std::vector<chat::ChatLine>& lines) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const auto& line : lines) {
    out.push_back(std::to_string(line.id) + " " + std::to_string(line.ts) + " " + line.user + ": " + line.text);
  }
  return out;
}

::testing::AssertionResult ids_are_consecutive(const std::vector<chat::ChatLine>& lines, std::int64_t first_id) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].id != first_id + static_cast<std::int64_t>(i)) {
      return ::testing::AssertionFailure() << "line " << i << " (\"" << preview(lines[i].text) << "\") has id "
                                           << lines[i].id << ", expected " << first_id + static_cast<std::int64_t>(i);
    }
  }
  return ::testing::AssertionSuccess();
}

void drain(ChatTestClient& client, milliseconds quiet) {
  while (client.receive(quiet)) {
  }
}

::testing::AssertionResult refused_with_status(std::uint16_t port, const HandshakeOptions& options, int status) {
  std::string why;
  try {
    WsTestClient client(port, options);
  } catch (const HarnessFailure& failure) {
    why = failure.what();
  }
  // lws 4.1.6 words it "HTTP/1.0 403 Forbidden"; the version does not matter, the status does.
  if (why.find("upgrade refused: HTTP/1.") != std::string::npos &&
      why.find(" " + std::to_string(status) + " ") != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "Origin " << options.origin.value_or("(none)") << ": "
                                       << (why.empty() ? "accepted" : why);
}

}  // namespace chat_it
