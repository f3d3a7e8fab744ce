// /metrics on --metrics-listen, scraped from the real server during a scripted session: each step
// moves the series it must, by as much as it must. Also: never served on the public port.
#include "chat_fixture.hpp"
#include "http_client.hpp"
#include "kit_names.hpp"

#include <map>
#include <regex>
#include <sstream>

namespace chat_it {
namespace {

// "series{labels}" -> value, from the text format; comments skipped.
using Scrape = std::map<std::string, double>;

class MetricsTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--metrics-listen", "127.0.0.1:0"}; }

  // The server prints "metrics on http://127.0.0.1:PORT/metrics" before its "listening on" line.
  std::uint16_t metrics_port() {
    static const std::regex line("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics");
    std::smatch match;
    const std::string output = server().output();
    if (!std::regex_search(output, match, line)) throw HarnessFailure("no metrics line in: " + output);
    return static_cast<std::uint16_t>(std::stoi(match[1]));
  }

  Scrape scrape() {
    const HttpResponse response = http_get(metrics_port(), "/metrics");
    if (response.head.status != 200) throw HarnessFailure("/metrics: " + response.head.status_line);
    EXPECT_EQ(response.head.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    Scrape values;
    std::istringstream lines(response.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line[0] == '#') continue;
      const std::size_t space = line.rfind(' ');
      values[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return values;
  }
};

double value(const Scrape& scrape, const std::string& series) {
  const auto it = scrape.find(series);
  if (it == scrape.end()) throw HarnessFailure("no series " + series);
  return it->second;
}

double moved(const Scrape& before, const Scrape& after, const std::string& series) {
  return value(after, series) - (before.count(series) ? before.at(series) : 0.0);
}

TEST_F(MetricsTest, ASessionMovesTheSeriesAsItMust) {
  const Scrape start = scrape();
  EXPECT_EQ(value(start, "chat_connections"), 0);
  EXPECT_EQ(value(start, "chat_rooms"), 1);
  EXPECT_GT(value(start, "process_resident_memory_bytes"), 1e6);
  EXPECT_GT(value(start, "process_open_fds"), 3);

  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  for (auto* c : {alice.get(), bob.get(), carol.get()}) drain(*c, milliseconds(200));
  const Scrape before = scrape();
  EXPECT_EQ(value(before, "chat_connections"), 3);
  EXPECT_EQ(value(before, "chat_sessions{version=\"1\"}"), 3);
  EXPECT_EQ(moved(start, before, "chat_logins_total"), 3);

  for (int i = 0; i < 3; ++i) {
    const std::string text = unique_text("counted");
    alice->send(chat::SendMessage{text});
    for (auto* c : {alice.get(), bob.get(), carol.get()}) c->expect_chat("alice", "general", text);
  }
  const Scrape after = scrape();
  EXPECT_EQ(moved(before, after, "chat_lines_accepted_total"), 3);
  EXPECT_EQ(moved(before, after, "chat_deliveries_total"), 9);  // 3 members x 3 lines
  EXPECT_GT(moved(before, after, "chat_bytes_out_total"), 9 * 20);
  EXPECT_GE(moved(before, after, "chat_store_commits_total"), 1);
  EXPECT_GE(moved(before, after, "chat_store_commit_seconds_count"), 1);

  auto dave = connect();
  ASSERT_FALSE(dave->try_login("bob"));
  // Over the 256 KiB frame limit: closed with 1009 (the server may close before reading it all).
  dave->send_raw(encode_frame(Opcode::text, std::string(256 * 1024 + 1, 'a')));
  dave->expect_close(1009);
  auto v2 = connect_v2("erin");  // a v2 login reads the room's history
  bob->send(chat::CreateRoom{"jeux"});
  bob->expect_room_created("jeux");
  const Scrape later = scrape();
  EXPECT_EQ(moved(after, later, "chat_refusals_total{code=\"name_taken\"}"), 1);
  EXPECT_EQ(value(later, "chat_sessions{version=\"2\"}"), 1);
  EXPECT_EQ(value(later, "chat_sessions{version=\"1\"}"), 3);
  EXPECT_EQ(moved(after, later, "chat_close_codes_total{code=\"1009\"}"), 1);
  EXPECT_GE(moved(after, later, "chat_history_reads_total"), 1);
  EXPECT_EQ(value(later, "chat_rooms"), 2);

  v2->close();
  const Scrape end = scrape();
  EXPECT_EQ(value(end, "chat_connections"), 3);
  EXPECT_EQ(value(end, "chat_sessions{version=\"2\"}"), 0);
}

TEST_F(MetricsTest, OnlyOnTheMetricsListener) {
  EXPECT_EQ(http_get(port(), "/metrics").head.status, 404) << "metrics must not be on the public port";
  EXPECT_EQ(http_get(metrics_port(), "/").head.status, 404);
  EXPECT_EQ(http_get(metrics_port(), "/index.html").head.status, 404);
  auto alice = connect_as("alice");  // the chat goes on beside scrapes
  scrape();
  expect_served("general", {alice.get()});
}

}  // namespace
}  // namespace chat_it
