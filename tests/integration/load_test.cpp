// Many clients in one room: every line reaches every member exactly once, in per-sender order.
// The timing is printed as a figure for docs/BENCHMARKS.md, never asserted.
#include "chat_fixture.hpp"

#include <poll.h>

#include <cstdio>
#include <thread>

namespace chat_it {
namespace {

using LoadTest = ChatServerTest;

std::string client_name(int i) { return "user" + std::to_string(i); }

// Checks one received chat line: senders' lines must arrive in order ("L<sender>-<n>"), so
// next[sender] is the n expected next from that sender at this receiver.
void check_line(const WsMessage& message, std::size_t receiver, std::vector<int>& next) {
  if (message.kind != WsMessage::Kind::text) throw HarnessFailure(client_name(int(receiver)) + " got " + message.describe());
  const auto frame = chat::decode_server_frame(message.data, chat::Limits{});
  const auto* line = frame.ok() ? std::get_if<chat::MessageFrame>(&frame.value()) : nullptr;
  if (!line || line->event != chat::Event::chat) throw HarnessFailure("not a chat line: " + message.data);
  const std::size_t sender = std::stoul(line->user.substr(4));
  if (sender >= next.size()) throw HarnessFailure("line from an unknown sender: " + message.data);
  const std::string want = "L" + std::to_string(sender) + "-" + std::to_string(next[sender]);
  if (line->chat_text() != want) {
    throw HarnessFailure(client_name(int(receiver)) + " expected " + want + ", got " + message.data);
  }
  ++next[sender];
}

// Reads all clients at once (poll) until each has every line; a duplicate or a reordering fails
// in check_line, a loss shows as a timeout, and an extra line in expect_nothing_more or here.
// Clients that have every line are still read, so that they answer the server's pings: under
// ASan and a CPU hog the collection took over 10 s, and the finished ones, left unread, were
// dropped as silent.
void collect_all(std::vector<std::unique_ptr<ChatTestClient>>& clients, int lines_per_sender, Deadline deadline) {
  const std::size_t n = clients.size();
  const int expected = static_cast<int>(n) * lines_per_sender;
  std::vector<std::vector<int>> next(n, std::vector<int>(n, 0));  // next[receiver][sender]
  std::vector<int> received(n, 0);
  std::size_t done = 0;
  while (done < n) {
    if (Clock::now() >= deadline) throw HarnessFailure(std::to_string(n - done) + " clients still missing lines");
    std::vector<pollfd> fds;
    for (std::size_t r = 0; r < n; ++r) fds.push_back({clients[r]->fd(), POLLIN, 0});
    ::poll(fds.data(), fds.size(), 200);
    for (std::size_t r = 0; r < n; ++r) {
      while (const auto message = clients[r]->receive(milliseconds(0))) {
        if (received[r] == expected) throw HarnessFailure(client_name(int(r)) + " got an extra " + message->describe());
        check_line(*message, r, next[r]);
        if (++received[r] == expected) ++done;
      }
    }
  }
}

// One quiet period shared by all clients, so the check costs 100 ms, not 100 ms per client.
void expect_nothing_more(std::vector<std::unique_ptr<ChatTestClient>>& clients) {
  std::this_thread::sleep_for(milliseconds(100));
  for (auto& client : clients) client->expect_no_frame(milliseconds(0));
}

double run_room(std::uint16_t port, int client_count, int lines_per_sender) {
  std::vector<std::unique_ptr<ChatTestClient>> clients;
  for (int i = 0; i < client_count; ++i) {
    clients.push_back(std::make_unique<ChatTestClient>(port));
    clients.back()->expect_rooms();
    clients.back()->login(client_name(i));
  }
  const auto start = Clock::now();
  // Round-robin, so the server sees senders interleaved as in a real room.
  for (int line = 0; line < lines_per_sender; ++line) {
    for (int i = 0; i < client_count; ++i) {
      clients[i]->send(chat::SendMessage{"L" + std::to_string(i) + "-" + std::to_string(line)});
    }
  }
  collect_all(clients, lines_per_sender, start + milliseconds(30000));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  expect_nothing_more(clients);
  return seconds;
}

TEST_F(LoadTest, FiftyClientsFiveLinesEachAllDeliveredToAll) {
  const double seconds = run_room(port(), 50, 5);
  std::printf("[ timing   ] 50 clients x 5 lines -> %d deliveries in %.3f s\n", 50 * 50 * 5, seconds);
}

// A sanitized server runs many times slower: 200 000 deliveries took 9 s on a busy machine, over
// 10 s under a CPU hog, longer than the server lets a client leave its pings unread (10 s), and
// the clients not read yet were dropped as silent, rightly. Against it, 5 lines per sender
// (50 000 deliveries).
int hundred_clients_lines() { return server_is_sanitized() ? 5 : 20; }

TEST_F(LoadTest, HundredClientsTwentyLinesEachAllDeliveredToAll) {
  const int lines = hundred_clients_lines();
  const double seconds = run_room(port(), 100, lines);
  const int deliveries = 100 * 100 * lines;
  std::printf("[ timing   ] 100 clients x %d lines -> %d deliveries in %.3f s (%.0f deliveries/s)\n",
              lines, deliveries, seconds, deliveries / seconds);
}

}  // namespace
}  // namespace chat_it
