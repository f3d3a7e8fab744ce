// The run's setup phases: the creator connects, creates the rooms and (--prefill) writes their
// history; the crowd connects and logs in (timed: connect time); everyone joins its room (timed:
// join time). Hold mode (--senders 0) then keeps the connections open while the server's RSS is
// read. Several generator processes can share one run (--first-client, --create-rooms 0).
#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "bench/kit_names.hpp"
#include "bench/load_run.hpp"
#include "shared/codec.hpp"

namespace bench {
namespace {

// Lines the creator keeps in flight while it writes a room's history: enough to keep the store
// busy, few enough that the server's per-connection queue never fills.
constexpr std::uint64_t kPrefillWindow = 64;
constexpr std::int64_t kHoldSampleNs = 500'000'000;  // RSS read twice a second while holding

// Set by SIGUSR1 (main installs the handler): a script that ran several generator processes has
// read the servers' figures while all of them held, and ends the hold.
volatile std::sig_atomic_t hold_end_requested = 0;

std::int64_t realtime_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace

void request_end_of_hold() { hold_end_requested = 1; }

bool LoadRun::set_up() {
  if (!resolve_targets()) return false;
  const std::uint64_t wanted = static_cast<std::uint64_t>(spec_.clients) + 64;
  if (const std::uint64_t limit = raise_fd_limit(wanted); limit < wanted) {
    result_.setup_error = "RLIMIT_NOFILE hard limit is " + std::to_string(limit) + ", " + std::to_string(wanted) +
                          " descriptors needed: raise it (ulimit -Hn, limits.conf) for this many clients, or " +
                          "split them over several processes (--first-client)";
    return false;
  }
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  result_.have_server = options_.server_pid > 0;
  sample_server(result_.server_before_connect);
  if (options_.create_rooms) {
    if (!connect_creator() || !prefill_history()) return false;
    // A script starts the run's other generator processes (--create-rooms 0) on this line.
    std::fprintf(stderr, "chat_bench: rooms ready\n");
    std::fflush(stderr);
  }
  sample_server(result_.server_crowd_start);
  result_.crowd_clients = spec_.clients - (options_.create_rooms ? 1 : 0);
  result_.first_connect_unix_ns = realtime_ns();
  const std::int64_t connect_start = monotonic_ns();
  const std::int64_t own_cpu_start = own_cpu_ns();
  if (!connect_everyone()) return false;
  const std::int64_t join_start = monotonic_ns();
  result_.last_login_unix_ns = realtime_ns();
  result_.connect_s = static_cast<double>(join_start - connect_start) / 1e9;
  if (!join_rooms()) return false;
  result_.join_s = static_cast<double>(monotonic_ns() - join_start) / 1e9;
  result_.joined_unix_ns = realtime_ns();
  result_.own_setup_cpu_ns = own_cpu_ns() - own_cpu_start;
  sample_server(result_.server_after_setup);
  return true;
}

// Every --url, or the one --host/--port server.
bool LoadRun::resolve_targets() {
  std::string error;
  targets_.assign(std::max<std::size_t>(options_.urls.size(), 1), WsTarget{});
  bool ok = options_.urls.empty() ? make_target(options_.host, options_.port, targets_[0], error) : true;
  for (std::size_t i = 0; ok && i < options_.urls.size(); ++i) ok = parse_ws_url(options_.urls[i], targets_[i], error);
  if (!ok) result_.setup_error = error;
  return ok;
}

std::uint32_t LoadRun::global_id(std::uint32_t client) const {
  return static_cast<std::uint32_t>(options_.first_client) + client;
}

// Clients go round-robin over the servers by their number across every process of the run, so
// each node gets its share; client b0 (the rooms' creator) is on the first.
const WsTarget& LoadRun::target_of(std::uint32_t client) const {
  return targets_[global_id(client) % targets_.size()];
}

bool LoadRun::connect_creator() {
  std::string error;
  clients_[0].started_ns = monotonic_ns();
  if (!connections_[0].start(target_of(0), epoll_fd_, error)) {
    result_.setup_error = "client 0: " + error;
    return false;
  }
  const std::int64_t deadline = monotonic_ns() + seconds_to_ns(options_.setup_timeout_s);
  if (pump_until(deadline, &LoadRun::creator_ready)) return true;
  result_.setup_error = fatal_ ? result_.first_problem : "the creator could not log in and create the rooms in time";
  return false;
}

// The creator writes --prefill lines into each room in turn (joins it, keeps a window of lines in
// flight, counts its own copies back), so the crowd's joins read rooms with that much history.
// Not timed as setup: it is reported as prefill_s.
bool LoadRun::prefill_history() {
  if (options_.prefill_lines <= 0) return true;
  const std::int64_t start = monotonic_ns();
  const std::int64_t deadline = start + seconds_to_ns(options_.setup_timeout_s);
  prefilling_ = true;
  bool ok = true;
  for (std::uint32_t room = 0; ok && room < rooms_.size(); ++room) ok = prefill_room(room, deadline);
  prefilling_ = false;
  result_.prefill_s = static_cast<double>(monotonic_ns() - start) / 1e9;
  if (!ok) {
    result_.setup_error = fatal_ ? result_.first_problem
                                 : "prefill: " + std::to_string(prefill_received_) + " of " + std::to_string(prefill_target_) +
                                       " lines of room " + room_name(prefill_room_) + " written in time";
  }
  return ok;
}

bool LoadRun::prefill_room(std::uint32_t room, std::int64_t deadline) {
  prefill_room_ = room;
  prefill_joined_ = false;
  prefill_sent_ = prefill_received_ = 0;
  prefill_target_ = static_cast<std::uint64_t>(options_.prefill_lines);
  connections_[0].send_text(chat::encode(chat::JoinRoom{room_name(room)}));
  if (!pump_until(deadline, &LoadRun::prefill_joined)) return false;
  while (prefill_sent_ < std::min(prefill_target_, kPrefillWindow)) on_prefill_line();
  return pump_until(deadline, &LoadRun::prefill_done);
}

// One more history line, or the first lines of the window.
void LoadRun::on_prefill_line() {
  if (prefill_sent_ >= prefill_target_) return;
  const ChatStamp stamp{0, static_cast<std::uint32_t>(prefill_sent_++), 0, 0};
  connections_[0].send_text(chat::encode(chat::SendMessage{make_chat_text(stamp)}));
}

bool LoadRun::connect_everyone() {
  start_more_clients();
  return setup_step_done(&LoadRun::all_logged_in, logged_in_, "logged in");
}

bool LoadRun::join_rooms() {
  for (std::uint32_t i = 0; i < clients_.size(); ++i) connections_[i].send_text(chat::encode(chat::JoinRoom{room_name(clients_[i].room)}));
  return setup_step_done(&LoadRun::all_joined, joined_, "joined");
}

// Pumps until `done` or the setup timeout; on a timeout the error says how many got there.
bool LoadRun::setup_step_done(bool (LoadRun::*done)() const, const std::uint32_t& reached, const char* what) {
  const std::int64_t deadline = monotonic_ns() + seconds_to_ns(options_.setup_timeout_s);
  if (pump_until(deadline, done)) return true;
  result_.setup_error = fatal_ ? result_.first_problem
                               : std::to_string(reached) + " of " + std::to_string(spec_.clients) + " clients " + what + " in time";
  return false;
}

// Keeps at most connect_concurrency clients between connect() and their login reply, so the
// server's listen backlog never overflows (a dropped SYN costs a 1 s retransmit, not server time).
void LoadRun::start_more_clients() {
  const auto cap = static_cast<std::uint32_t>(std::max(options_.connect_concurrency, 1));
  while (next_client_ < clients_.size() && next_client_ - logged_in_ < cap) {
    std::string error;
    clients_[next_client_].started_ns = monotonic_ns();
    if (!connections_[next_client_].start(target_of(next_client_), epoll_fd_, error)) {
      note_problem("client " + std::to_string(global_id(next_client_)) + ": " + error);
      fatal_ = true;
      return;
    }
    ++next_client_;
  }
}

void LoadRun::mark_joined(std::uint32_t client) {
  if (clients_[client].joined) return;
  clients_[client].joined = true;
  ++joined_;
}

// Version 2: a join is done when the room's history page arrives after the `joined` reply (the
// login's page of general comes first and is not it).
void LoadRun::on_history_page(WsConnection& connection, std::string_view payload) {
  const std::uint32_t id = connection.id();
  const std::uint32_t room = prefilling_ && id == 0 ? prefill_room_ : clients_[id].room;
  if (payload.find("\"room\":\"" + room_name(room) + "\"") == std::string_view::npos) return;
  if (prefilling_ && id == 0) prefill_joined_ = true;
  else if (clients_[id].join_acked) mark_joined(id);
}

// Hold mode: no lines; the connections stay open for --duration while the server's RSS is read.
void LoadRun::hold() {
  const std::int64_t start = monotonic_ns();
  const std::int64_t end = start + seconds_to_ns(options_.duration_s);
  result_.server_rss_max_kb = result_.server_after_setup.rss_kb;
  sample_server(result_.server_start);  // the CPU of holding idle connections: server_cpu_pct
  std::fprintf(stderr, "chat_bench: holding %d connections for at most %.0f s (SIGUSR1 ends the hold)\n", spec_.clients,
               options_.duration_s);
  std::fflush(stderr);
  for (std::int64_t now = start; now < end && !fatal_ && !hold_end_requested; now = monotonic_ns()) {
    pump_until(std::min(end, now + kHoldSampleNs), &LoadRun::never);
    ProcSample sample;
    sample_server(sample);
    result_.server_rss_max_kb = std::max(result_.server_rss_max_kb, sample.rss_kb);
  }
  result_.measured_s = static_cast<double>(monotonic_ns() - start) / 1e9;
  sample_server(result_.server_end);
}

}  // namespace bench
