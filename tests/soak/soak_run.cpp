// The soak's phases and its one-thread loop: sockets (epoll), one timer per client, spawns of
// churners, slow readers and hostile clients, progress lines. See soak_run.hpp.
#include "tests/soak/soak_run.hpp"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "tests/soak/soak_hostile.hpp"

namespace soak {
namespace {

constexpr std::size_t kScratchBytes = 256 * 1024;
constexpr int kMaxEvents = 512;
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kNever = INT64_MAX;
constexpr double kChurnersArriveWithinS = 2;     // the first churners, spread out
constexpr double kReplaceChurnerWithinS = 0.5;   // a new churner after one leaves
constexpr double kReplaceSlowReaderAfterS = 1;   // a new slow reader after one is dropped
constexpr double kStragglersS = 0.5;             // after the drain, for lines of vanished senders
constexpr double kAfterLeavingS = 3;             // then the server's RSS once everyone is gone
// Under the server's 64 unfinished requests per address, with room for the hostile clients that
// keep theirs unfinished on purpose.
constexpr std::uint32_t kMaxHandshakes = 32;

std::int64_t ns(double seconds) { return static_cast<std::int64_t>(seconds * 1e9); }

}  // namespace

SoakRun::SoakRun(const SoakOptions& options) : options_(options), world_(options_), scratch_(kScratchBytes) {
  world_.wake = [this](std::uint32_t client, std::int64_t at) { timers_.push(Timer{at, client}); };
}

SoakRun::~SoakRun() {
  clients_.clear();  // closes the sockets before the epoll set
  if (world_.epoll_fd >= 0) ::close(world_.epoll_fd);
}

int SoakRun::run() {
  if (set_up()) {
    traffic();
    wind_down();
  }
  return finish();
}

// ---- phases ----

bool SoakRun::set_up() {
  if (!make_target(options_.host, options_.port, world_.target, outcome_.setup_error)) return false;
  const auto wanted = static_cast<std::uint64_t>(options_.chatters + options_.fire_senders + options_.fire_readers +
                                                 options_.slow_readers + 2 * options_.churners +
                                                 static_cast<int>(20 * options_.hostile_rate) + 256);
  if (raise_fd_limit(wanted) < wanted) {
    outcome_.setup_error = "RLIMIT_NOFILE is too low for " + std::to_string(wanted) + " descriptors";
    return false;
  }
  world_.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  outcome_.have_server = options_.server_pid > 0;
  sample_server(outcome_.idle);
  plan_rooms();
  return settle(true) && settle(false);
}

void SoakRun::plan_rooms() {
  world_.talk_rooms = static_cast<std::uint32_t>(options_.rooms);
  for (std::uint32_t r = 0; r < world_.talk_rooms; ++r) {
    world_.ledger.add_room();
    world_.room_names.push_back(room_name(r));
  }
  world_.fire_room = world_.ledger.add_room();
  world_.room_names.push_back("fire");
}

// The first member of each room creates it, so they go first; then everyone else.
bool SoakRun::settle(bool creators) {
  const std::int64_t now = monotonic_ns();
  start_members(creators, now);
  const auto expected = static_cast<std::uint32_t>(
      creators ? world_.room_names.size()
               : options_.chatters + options_.fire_senders + options_.fire_readers + options_.slow_readers);
  pump_until(now + ns(options_.setup_timeout_s), [&] {
    return world_.members_joined >= expected || world_.tally.honest_dropped > 0 || world_.tally.honest_refusal_count() > 0;
  });
  if (world_.members_joined >= expected && world_.tally.problems.empty()) return true;
  outcome_.setup_error = std::to_string(world_.members_joined) + " of " + std::to_string(expected) +
                         " chatters and slow readers reached their rooms" +
                         (world_.tally.problems.empty() ? "" : ": " + world_.tally.problems.front());
  return false;
}

void SoakRun::start_members(bool creators, std::int64_t now) {
  const auto chatters = static_cast<std::uint32_t>(options_.chatters);
  for (std::uint32_t i = 0; i < chatters; ++i) {  // contiguous rooms, as even as they divide
    const std::uint32_t room = i * world_.talk_rooms / chatters;
    const bool first_of_room = i == 0 || room != (i - 1) * world_.talk_rooms / chatters;
    if (first_of_room == creators) add_chatter(room, options_.chat_rate, kChatTextBytes, creators, now);
  }
  const auto fire_bytes = static_cast<std::size_t>(options_.fire_bytes);
  if (creators) return add_chatter(world_.fire_room, options_.fire_rate, fire_bytes, true, now);
  for (int i = 1; i < options_.fire_senders; ++i) add_chatter(world_.fire_room, options_.fire_rate, fire_bytes, false, now);
  for (int i = 0; i < options_.fire_readers; ++i) add_chatter(world_.fire_room, 0, 0, false, now);
  for (int i = 0; i < options_.slow_readers; ++i) spawn(Role::slow_reader, now);
}

void SoakRun::traffic() {
  const std::int64_t now = monotonic_ns();
  traffic_start_ = now;
  sample_server(outcome_.ready);
  last_sample_ = outcome_.ready;
  last_sample_ns_ = now;
  own_cpu_start_ = own_cpu_ns();
  world_.sending = true;
  for_each_live([now](SoakClient& client) { client.traffic_started(now); });
  for (int i = 0; i < options_.churners; ++i) spawns_.push(Spawn{now + ns(world_.uniform(0, kChurnersArriveWithinS)), Role::churner});
  next_hostile_ = options_.hostile_rate > 0 ? now + ns(1 / options_.hostile_rate) : kNever;
  next_report_ = now + ns(options_.report_every_s);
  pump_until(now + ns(options_.duration_s), nullptr);
}

// Stops the traffic, lets lines in flight arrive, closes the books of those still connected, then
// lets everyone go and looks at the server once more.
void SoakRun::wind_down() {
  std::int64_t now = monotonic_ns();
  outcome_.traffic_s = static_cast<double>(now - traffic_start_) / 1e9;
  outcome_.own_cpu_percent = 100.0 * static_cast<double>(own_cpu_ns() - own_cpu_start_) / static_cast<double>(now - traffic_start_);
  ProcSample end_of_traffic;
  if (sample_server(end_of_traffic)) {
    outcome_.server_cpu_percent = 100.0 * static_cast<double>(end_of_traffic.cpu_ns - outcome_.ready.cpu_ns) /
                                  static_cast<double>(now - traffic_start_);
  }
  world_.sending = false;
  for_each_live([now](SoakClient& client) { client.traffic_stopped(now); });
  pump_until(now + ns(options_.drain_s), [this] { return world_.ledger.outstanding() == 0; });
  pump_until(monotonic_ns() + ns(kStragglersS), nullptr);
  sample_server(outcome_.loaded_end);
  for_each_live([this](SoakClient& client) {
    world_.tally.closed_windows += world_.ledger.close_window(client.id());
    client.quit();
  });
  now = monotonic_ns();
  pump_until(now + ns(kAfterLeavingS), nullptr);
  sample_server(outcome_.after_leaving);
}

int SoakRun::finish() {
  outcome_.full = world_.ledger.reckon_full();
  outcome_.full_receivers = world_.ledger.full_receivers();
  print_summary(options_, outcome_, world_.tally, stdout);
  if (!outcome_.setup_error.empty()) return 3;
  return outcome_.passed(world_.tally) ? 0 : 1;
}

// ---- clients ----

void SoakRun::add(std::unique_ptr<SoakClient> client, std::int64_t now) {
  ++live_[static_cast<std::size_t>(client->role())];
  waiting_.push_back(client->id());
  clients_.push_back(std::move(client));
  start_waiting(now);
}

void SoakRun::start_waiting(std::int64_t now) {
  while (!waiting_.empty() && world_.handshaking < kMaxHandshakes) {
    const std::uint32_t id = waiting_.front();
    waiting_.pop_front();
    if (!clients_[id] || clients_[id]->done()) continue;  // quit before its turn came
    clients_[id]->start(now);
    after_callback(id, now);
  }
}

void SoakRun::add_chatter(std::uint32_t room, double rate, std::size_t bytes, bool creates_room, std::int64_t now) {
  const auto id = static_cast<std::uint32_t>(clients_.size());
  add(std::make_unique<Chatter>(world_, id, room, rate, bytes, creates_room), now);
}

void SoakRun::spawn(Role role, std::int64_t now) {
  const auto id = static_cast<std::uint32_t>(clients_.size());
  switch (role) {
    case Role::churner: return add(std::make_unique<Churner>(world_, id), now);
    case Role::slow_reader: return add(std::make_unique<SlowReader>(world_, id), now);
    case Role::hostile: {
      const auto kind = static_cast<HostileKind>(hostile_kind_++ % kHostileKindCount);
      return add(std::make_unique<Hostile>(world_, id, kind), now);
    }
    case Role::chatter: return;  // chatters are planned, never spawned
  }
}

// A client that ended is freed after the callback that ended it; churners and slow readers are
// replaced while the traffic lasts, so their numbers hold.
void SoakRun::after_callback(std::uint32_t id, std::int64_t now) {
  SoakClient* client = clients_[id].get();
  if (client && client->done()) retire(*client, now);
}

void SoakRun::retire(SoakClient& client, std::int64_t now) {
  const Role role = client.role();
  --live_[static_cast<std::size_t>(role)];
  if (world_.sending && role == Role::churner) {
    spawns_.push(Spawn{now + ns(world_.uniform(0, kReplaceChurnerWithinS)), role});
  } else if (world_.sending && role == Role::slow_reader) {
    spawns_.push(Spawn{now + ns(kReplaceSlowReaderAfterS), role});
  }
  clients_[client.id()].reset();
}

void SoakRun::for_each_live(const std::function<void(SoakClient&)>& action) {
  std::vector<std::uint32_t> ids;
  for (const auto& client : clients_) {
    if (client && !client->done()) ids.push_back(client->id());
  }
  for (const std::uint32_t id : ids) {
    if (!clients_[id] || clients_[id]->done()) continue;
    action(*clients_[id]);
    after_callback(id, monotonic_ns());
  }
}

// ---- the loop ----

bool SoakRun::pump_until(std::int64_t deadline, const std::function<bool()>& done) {
  epoll_event events[kMaxEvents];
  for (;;) {
    if (fatal_) return false;
    if (done && done()) return true;
    const std::int64_t now = monotonic_ns();
    run_due(now);
    if (now >= deadline) return false;
    const std::int64_t wait = std::max<std::int64_t>(0, next_deadline(deadline) - now);
    const timespec timeout{static_cast<time_t>(wait / kSecond), static_cast<long>(wait % kSecond)};
    const int ready = ::epoll_pwait2(world_.epoll_fd, events, kMaxEvents, &timeout, nullptr);
    if (ready < 0 && errno != EINTR) {
      world_.tally.problem(std::string("epoll_pwait2: ") + std::strerror(errno));
      fatal_ = true;
    }
    if (ready > 0) dispatch(ready, events);
  }
}

std::int64_t SoakRun::next_deadline(std::int64_t limit) const {
  std::int64_t next = limit;
  if (!timers_.empty()) next = std::min(next, timers_.top().at);
  if (!spawns_.empty()) next = std::min(next, spawns_.top().at);
  if (world_.sending) next = std::min({next, next_hostile_, next_report_});
  return next;
}

void SoakRun::run_due(std::int64_t now) {
  while (!timers_.empty() && timers_.top().at <= now) {
    const Timer timer = timers_.top();
    timers_.pop();
    SoakClient* client = clients_[timer.client].get();
    if (!client || client->done() || !client->due(timer.at)) continue;  // gone, or re-armed since
    client->on_timer(now);
    after_callback(timer.client, now);
  }
  start_waiting(now);
  while (!spawns_.empty() && spawns_.top().at <= now) {
    const Role role = spawns_.top().role;
    spawns_.pop();
    if (world_.sending) spawn(role, now);
  }
  for (; world_.sending && next_hostile_ <= now; next_hostile_ += ns(1 / options_.hostile_rate)) spawn(Role::hostile, now);
  if (world_.sending && next_report_ <= now) {
    progress(now);
    next_report_ += ns(options_.report_every_s);
  }
}

void SoakRun::dispatch(int ready, const void* raw_events) {
  const auto* events = static_cast<const epoll_event*>(raw_events);
  for (int i = 0; i < ready; ++i) {
    const auto id = static_cast<std::uint32_t>(events[i].data.u64);
    SoakClient* client = id < clients_.size() ? clients_[id].get() : nullptr;
    if (!client || client->done()) continue;  // ended earlier in this batch
    const std::int64_t now = monotonic_ns();
    client->connection().on_event(events[i].events, now, scratch_.data(), scratch_.size());
    after_callback(id, now);
  }
}

// ---- figures ----

void SoakRun::progress(std::int64_t now) {
  ProgressRow row;
  row.elapsed_s = static_cast<double>(now - traffic_start_) / 1e9;
  ProcSample sample;
  if (sample_server(sample)) {
    row.rss_kb = sample.rss_kb;
    row.cpu_percent = 100.0 * static_cast<double>(sample.cpu_ns - last_sample_.cpu_ns) / static_cast<double>(now - last_sample_ns_);
    row.sockets = count_sockets(options_.server_pid);
    last_sample_ = sample;
    last_sample_ns_ = now;
  }
  row.live = live_;
  row.lines_sent = world_.tally.lines_sent;
  row.deliveries = world_.tally.deliveries;
  row.in_flight = world_.ledger.outstanding();
  row.gaps = world_.ledger.full_gaps_now();
  row.full = world_.ledger.full_so_far();
  row.windows = world_.ledger.windows_so_far();
  row.windows += world_.tally.closed_windows;
  row.slow_drops = world_.tally.slow_drops;
  for (const auto& [code, count] : world_.tally.hostile_refusals) row.hostile_refusals += count;
  print_progress(row, world_.tally, stdout);
  outcome_.rows.push_back(row);
}

// False without a server to watch. A server that vanished ends the soak: nothing else it could
// show would mean anything.
bool SoakRun::sample_server(ProcSample& into) {
  if (!outcome_.have_server || outcome_.server_died) return false;
  const auto sample = sample_process(options_.server_pid);
  if (!sample) {
    outcome_.server_died = true;
    fatal_ = true;
    world_.tally.problem("the server process " + std::to_string(options_.server_pid) + " is gone");
    return false;
  }
  into = *sample;
  outcome_.peak_rss_kb = std::max(outcome_.peak_rss_kb, sample->rss_kb);
  return true;
}

}  // namespace soak
