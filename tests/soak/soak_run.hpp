// One soak against a running chat server, from this one thread (epoll): the chatters and slow
// readers connect and settle first (the first member of each room creates it); then for the whole
// duration the chatters talk, churners keep coming and going, hostile clients keep arriving, and a
// progress line is printed every --report-every seconds; at the end the traffic stops, lines in
// flight drain, every client leaves and the books are reckoned (soak_report prints them).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

#include "tests/soak/kit_names.hpp"
#include "tests/soak/soak_client.hpp"
#include "tests/soak/soak_options.hpp"
#include "tests/soak/soak_report.hpp"

namespace soak {

class SoakRun {
 public:
  explicit SoakRun(const SoakOptions& options);
  ~SoakRun();
  SoakRun(const SoakRun&) = delete;
  SoakRun& operator=(const SoakRun&) = delete;

  // Runs the soak, prints progress and the summary to stdout; returns the exit status.
  int run();

 private:
  struct Timer {
    std::int64_t at;
    std::uint32_t client;
    bool operator>(const Timer& other) const { return at > other.at; }
  };
  struct Spawn {
    std::int64_t at;
    Role role;
    bool operator>(const Spawn& other) const { return at > other.at; }
  };

  bool set_up();
  void plan_rooms();
  bool settle(bool creators);
  void start_members(bool creators, std::int64_t now);
  void traffic();
  void wind_down();
  int finish();

  void add(std::unique_ptr<SoakClient> client, std::int64_t now);
  void start_waiting(std::int64_t now);
  void add_chatter(std::uint32_t room, double rate, std::size_t bytes, bool creates_room, std::int64_t now);
  void spawn(Role role, std::int64_t now);
  void retire(SoakClient& client, std::int64_t now);
  void after_callback(std::uint32_t id, std::int64_t now);
  void for_each_live(const std::function<void(SoakClient&)>& action);

  // Runs the loop (sockets, timers, spawns, progress lines) until `done` or the deadline.
  bool pump_until(std::int64_t deadline, const std::function<bool()>& done);
  std::int64_t next_deadline(std::int64_t limit) const;
  void run_due(std::int64_t now);
  void dispatch(int ready, const void* events);
  void progress(std::int64_t now);
  bool sample_server(ProcSample& into);

  const SoakOptions options_;
  SoakWorld world_;
  SoakOutcome outcome_;
  std::vector<std::unique_ptr<SoakClient>> clients_;  // by id; ids are never reused, null once gone
  std::array<std::uint64_t, kRoleCount> live_{};  // begun or waiting to begin, not ended
  std::deque<std::uint32_t> waiting_;             // clients not started yet, for want of a handshake slot
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::priority_queue<Spawn, std::vector<Spawn>, std::greater<>> spawns_;
  std::vector<char> scratch_;
  int hostile_kind_ = 0;
  std::int64_t traffic_start_ = 0, next_hostile_ = 0, next_report_ = 0;
  ProcSample last_sample_{};
  std::int64_t last_sample_ns_ = 0, own_cpu_start_ = 0;
  bool fatal_ = false;
};

}  // namespace soak
