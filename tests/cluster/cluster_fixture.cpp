// The cluster fixture: one Redis, three nodes on it, and the readers the cluster tests share.
#include "cluster_fixture.hpp"

#include <sys/wait.h>

#include <iostream>
#include <thread>

namespace chat_it {

void ClusterTest::SetUp() {
  redis_ = std::make_unique<chat_redis_test::RedisProcess>();
  std::vector<std::string> flags = node_flags();
  flags.insert(flags.end(), {"--redis", redis_->url()});  // after the harness' own: a cluster member
  for (int i = 0; i < kNodes; ++i) nodes_.push_back(std::make_unique<ServerProcess>(flags));
}

void ClusterTest::TearDown() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const bool was_running = !nodes_[i]->exited();
    const int status = nodes_[i]->stop();
    if (was_running) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "node " << i << " after SIGTERM: " << ServerProcess::describe_status(status);
    }
  }
  if (HasFailure()) {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      std::cerr << "--- node " << i << " output ---\n" << nodes_[i]->output() << "\n";
    }
    if (redis_) std::cerr << "--- redis-server log ---\n" << redis_->log_tail() << "\n";
  }
  nodes_.clear();
  redis_.reset();
}

void ClusterTest::restart_node(int index) { node(index).restart(); }

std::unique_ptr<ChatTestClient> ClusterTest::connect(int index, std::vector<std::string>* rooms) {
  auto client = std::make_unique<ChatTestClient>(node(index).port());
  client->set_label("new connection to node " + std::to_string(index) + ", waiting for its rooms frame");
  auto list = client->expect_rooms();
  if (rooms) *rooms = std::move(list);
  client->set_label("(not logged in, node " + std::to_string(index) + ")");
  return client;
}

std::unique_ptr<ChatTestClient> ClusterTest::connect_as(int index, const std::string& name) {
  auto client = connect(index);
  client->login(name);
  return client;
}

std::unique_ptr<ChatTestClient> ClusterTest::connect_v2(int index, const std::string& name,
                                                        chat::HistoryFrame* history, chat::MembersFrame* members) {
  auto client = connect(index);
  client->login_v2(name);
  auto list = client->expect_members("general");
  if (members) *members = std::move(list);
  auto latest = client->expect_history("general");
  if (history) *history = std::move(latest);
  return client;
}

chat::ServerFrame next_non_notice(ChatTestClient& client, milliseconds timeout) {
  for (;;) {
    auto frame = client.next_json(timeout);
    const bool notice = std::holds_alternative<chat::PresenceFrame>(frame) ||
                        std::holds_alternative<chat::UnreadFrame>(frame) ||
                        std::holds_alternative<chat::TypingFrame>(frame);
    if (!notice) return frame;
  }
}

// An account's sign-in answer: logged_in for `user` (seed room lists sent before it took effect
// are skipped), then general's members and history, and the account's own rooms frame when it is
// in a private room or conversation (`rooms_expected`), wherever that comes among them.
std::optional<chat::RoomsFrame> expect_signed_in(ChatTestClient& client, const std::string& user, bool rooms_expected) {
  chat::ServerFrame frame = client.next_json(kHashTimeout);
  while (std::holds_alternative<chat::RoomsFrame>(frame)) frame = client.next_json(kHashTimeout);
  const auto* ack = std::get_if<chat::MessageFrame>(&frame);
  if (!ack || ack->event != chat::Event::logged_in || ack->error || !ack->account || ack->user != user) {
    client.fail("expected an account's logged_in for " + user + ", got " + preview(client.last_raw()));
  }
  client.set_label(user);
  bool members = false, history = false;
  std::optional<chat::RoomsFrame> rooms;
  while (!members || !history || (rooms_expected && !rooms)) {
    frame = next_non_notice(client);
    if (const auto* list = std::get_if<chat::MembersFrame>(&frame); list && list->room == "general" && !members) {
      members = true;
    } else if (const auto* page = std::get_if<chat::HistoryFrame>(&frame); page && page->room == "general" && members &&
                                                                            !history) {
      history = true;
    } else if (const auto* own = std::get_if<chat::RoomsFrame>(&frame); own && rooms_expected && !rooms) {
      rooms = *own;
    } else {
      client.fail("expected general's members then history" + std::string(rooms_expected ? " and a rooms frame" : "") +
                  " after logged_in, got " + preview(client.last_raw()));
    }
  }
  return rooms;
}


namespace {

// A chat line of `room` as the receiver got it (v1: no id, ts or text field).
std::optional<chat::ChatLine> as_line(const chat::ServerFrame& frame, const std::string& room) {
  const auto* message = std::get_if<chat::MessageFrame>(&frame);
  if (!message || message->event != chat::Event::chat || message->error || message->room != room) return std::nullopt;
  return chat::ChatLine{message->id, message->ts, message->user, std::string(message->chat_text())};
}

}  // namespace

chat::ChatLine expect_line(ChatTestClient& client, const std::string& user, const std::string& room,
                           const std::string& text) {
  const auto frame = next_non_notice(client);
  const auto line = as_line(frame, room);
  if (!line || line->user != user || line->text != text) {
    client.fail("expected the line \"" + user + ": " + preview(text) + "\" in " + room + ", got " +
                preview(client.last_raw()));
  }
  return *line;
}

SendOutcome send_line(ChatTestClient& client, const std::string& room, const std::string& text, milliseconds timeout) {
  SendOutcome outcome;
  client.send(chat::SendMessage{text});
  for (;;) {
    const auto frame = next_non_notice(client, timeout);
    if (auto line = as_line(frame, room)) {
      outcome.received.push_back(*line);
      if (line->user == client.name() && line->text == text) {
        outcome.stored = true;
        return outcome;
      }
      continue;
    }
    const auto* message = std::get_if<chat::MessageFrame>(&frame);
    if (message && (message->error == chat::ErrorCode::store_unavailable ||
                    message->error == chat::ErrorCode::server_busy)) {
      outcome.refusal = message->error;
      return outcome;
    }
    client.fail("expected the echo of \"" + preview(text) + "\", a line of " + room +
                " or store_unavailable/server_busy, got " + preview(client.last_raw()));
  }
}

chat::ChatLine say_when_stored(ChatTestClient& client, const std::string& room, std::vector<chat::ChatLine>& received,
                               milliseconds within) {
  const Deadline deadline = deadline_in(within);
  for (;;) {
    const std::string text = unique_text("from " + client.name());
    auto outcome = send_line(client, room, text, milliseconds(30000));
    received.insert(received.end(), outcome.received.begin(), outcome.received.end());
    if (outcome.stored) return received.back();
    if (Clock::now() >= deadline) client.fail("no line stored within " + std::to_string(within.count()) + " ms");
    std::this_thread::sleep_for(milliseconds(100));  // a retry interval, not a wait for an outcome
  }
}

std::vector<chat::ChatLine> lines_until(ChatTestClient& client, const std::string& room, const std::string& text,
                                        milliseconds timeout) {
  std::vector<chat::ChatLine> lines;
  for (;;) {
    const auto frame = next_non_notice(client, timeout);
    if (const auto* history = std::get_if<chat::HistoryFrame>(&frame); history && history->room == room) {
      for (const auto& line : history->lines) {
        lines.push_back(line);
        if (line.text == text) {
          if (&line != &history->lines.back()) client.fail("lines after \"" + preview(text) + "\" in its history frame");
          return lines;
        }
      }
      continue;
    }
    const auto line = as_line(frame, room);
    if (!line) client.fail("expected a line of " + room + ", got " + preview(client.last_raw()));
    lines.push_back(*line);
    if (line->text == text) return lines;
  }
}

chat::HistoryFrame enter_room(ChatTestClient& client, const std::string& room, bool v2, chat::MembersFrame* members) {
  client.send(chat::JoinRoom{room});
  auto frame = next_non_notice(client);
  const auto* joined = std::get_if<chat::MessageFrame>(&frame);
  if (!joined || joined->event != chat::Event::joined || joined->room != room || joined->error) {
    client.fail("expected joined " + room + ", got " + preview(client.last_raw()));
  }
  if (!v2) return {};
  frame = next_non_notice(client);
  auto* list = std::get_if<chat::MembersFrame>(&frame);
  if (!list || list->room != room) client.fail("expected the members of " + room + ", got " + preview(client.last_raw()));
  if (members) *members = *list;
  frame = next_non_notice(client);
  auto* history = std::get_if<chat::HistoryFrame>(&frame);
  if (!history || history->room != room) client.fail("expected the history of " + room + ", got " + preview(client.last_raw()));
  return *history;
}

std::vector<std::string> texts_of(const std::vector<chat::ChatLine>& lines) {
  std::vector<std::string> texts;
  texts.reserve(lines.size());
  for (const auto& line : lines) texts.push_back(line.text);
  return texts;
}

bool ClusterTest::knows_account(int index, const std::string& name, milliseconds within) {
  const Deadline deadline = deadline_in(within);
  while (true) {
    auto guest = connect(index);
    guest->send(chat::Login{name});
    if (guest->expect_refusal(chat::ErrorCode::name_taken).registered) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::unique_ptr<ChatTestClient> ClusterTest::registered(int index, const std::string& name) {
  auto client = connect(index);
  client->send(chat::Register{name, kPassword});
  expect_signed_in(*client, name, false);
  return client;
}

std::unique_ptr<ChatTestClient> ClusterTest::signed_in(int index, const std::string& typed,
                                                       std::optional<chat::RoomsFrame>* rooms, const std::string& user,
                                                       const std::string& password) {
  auto client = connect(index);
  client->send(chat::PasswordLogin{typed, password});
  auto own = expect_signed_in(*client, user.empty() ? typed : user, rooms != nullptr);
  if (rooms) *rooms = std::move(own);
  return client;
}

}  // namespace chat_it
