// One benchmark run against a chat server: connects every client from this one thread (epoll),
// logs them in, builds the rooms, drives the senders (open loop on a schedule, or a closed
// window), checks every receipt and measures. Printing is report.hpp's job.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/kit_names.hpp"
#include "bench/latency_histogram.hpp"
#include "bench/options.hpp"

namespace bench {

// Ends a hold (--senders 0) within half a second; async-signal-safe (main calls it on SIGUSR1).
void request_end_of_hold();

inline std::int64_t seconds_to_ns(double seconds) { return static_cast<std::int64_t>(seconds * 1e9); }

struct RunResult {
  ScenarioSpec spec;
  std::string setup_error;      // non-empty: the run could not start
  std::string first_problem;    // the first malformed frame, refusal or dropped connection
  double connect_s = 0, join_s = 0, measured_s = 0, prefill_s = 0;
  // Wall clock (CLOCK_REALTIME, ns) of this process's first crowd connect, last login and last
  // join: a script combines several generator processes into one connect time.
  std::int64_t first_connect_unix_ns = 0, last_login_unix_ns = 0, joined_unix_ns = 0;
  int crowd_clients = 0;  // the clients connected in the timed crowd (all but the rooms' creator)
  std::uint64_t lines_sent = 0, window_deliveries = 0, frames = 0, chat_frames = 0;
  std::uint64_t malformed = 0, refusals = 0, failures = 0;
  DeliveryCounts counts;
  LatencyHistogram latency;        // receipt minus scheduled send time (what users feel)
  LatencyHistogram write_latency;  // receipt minus the moment the generator wrote the line
  LatencyHistogram send_lag;       // how late the generator wrote lines against the schedule
  bool have_server = false;
  // server_crowd_start: when the crowd starts connecting (after the creator's rooms and prefill).
  ProcSample server_before_connect, server_crowd_start, server_after_setup, server_start, server_end;
  std::int64_t server_rss_max_kb = 0;  // hold mode: the most seen while holding
  std::int64_t own_cpu_ns = 0;
  std::int64_t own_setup_cpu_ns = 0;  // the generator's CPU while the crowd connected and joined
  bool passed() const;
};

class LoadRun : private ConnectionOwner {
 public:
  explicit LoadRun(const Options& options);
  ~LoadRun();
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  RunResult run();
  // Frames per second the receive path handles with no socket in the way (the generator's ceiling).
  double measure_parse_ceiling(std::uint64_t frames, int rounds);

 private:
  struct Client {
    std::uint32_t room = 0;
    bool logged_in = false;
    bool join_acked = false;  // its `joined` reply came (version 2: the room's history follows)
    bool joined = false;
    std::int64_t started_ns = 0;  // when its connect() began: a failure says how long it had been
    std::vector<StreamCheck> streams;  // one per sender of its room, in the room's sender order
  };
  struct Sender {
    std::uint32_t client = 0;
    std::uint32_t slot = 0;  // position among its room's senders
    std::uint32_t next_seq = 0;
  };
  struct Room {
    std::uint32_t members = 0;
    std::vector<std::uint32_t> senders;  // indexes into senders_
  };

  void plan();
  bool set_up();
  bool resolve_targets();
  const WsTarget& target_of(std::uint32_t client) const;
  std::uint32_t global_id(std::uint32_t client) const;
  bool connect_creator();
  bool prefill_history();
  bool prefill_room(std::uint32_t room, std::int64_t deadline);
  bool connect_everyone();
  bool join_rooms();
  void start_more_clients();
  void mark_joined(std::uint32_t client);
  void on_history_page(WsConnection& connection, std::string_view payload);
  void on_prefill_line();
  void on_prefill_receipt(std::uint32_t receiver);
  void drive_traffic();
  void hold();
  void finish_checks();

  bool pump_until(std::int64_t deadline, bool (LoadRun::*done)() const);
  bool setup_step_done(bool (LoadRun::*done)() const, const std::uint32_t& reached, const char* what);
  void dispatch(int ready, const void* events, std::int64_t now);
  void send_due_lines(std::int64_t now);
  void send_line(std::uint32_t sender, std::int64_t scheduled, std::int64_t now);
  void on_line_received(std::uint32_t sender, std::uint32_t seq);
  void note_problem(const std::string& what);
  std::string client_state(std::uint32_t client) const;
  void sample_server(ProcSample& into);

  bool creator_ready() const;
  bool all_logged_in() const;
  bool all_joined() const;
  bool all_delivered() const;
  bool prefill_joined() const { return prefill_joined_; }
  bool prefill_done() const { return prefill_received_ >= prefill_target_; }
  bool never() const { return false; }
  bool in_setup() const { return measure_start_ == 0; }

  void on_open(WsConnection& connection, std::int64_t now_ns) override;
  void on_text(WsConnection& connection, std::string_view payload, std::int64_t now_ns) override;
  void on_failed(WsConnection& connection, const std::string& why) override;
  void on_chat(std::uint32_t receiver, std::string_view payload, std::int64_t now_ns);
  void on_control(WsConnection& connection, std::string_view payload, std::int64_t now_ns);

  Options options_;
  ScenarioSpec spec_;
  RunResult result_;
  std::vector<WsTarget> targets_;  // the servers, one per --url
  int epoll_fd_ = -1;
  std::vector<char> scratch_;
  std::vector<WsConnection> connections_;
  std::vector<Client> clients_;
  std::vector<Sender> senders_;
  std::vector<Room> rooms_;
  std::vector<std::int32_t> sender_of_client_;  // -1 for pure receivers

  std::uint32_t next_client_ = 1;  // the next client to start connecting (0 is the creator)
  std::uint32_t logged_in_ = 0, joined_ = 0, rooms_created_ = 0;
  bool fatal_ = false;

  bool prefilling_ = false, prefill_joined_ = false;
  std::uint32_t prefill_room_ = 0;
  std::uint64_t prefill_sent_ = 0, prefill_received_ = 0, prefill_target_ = 0;

  bool sending_ = false, measuring_ = false;
  std::int64_t schedule_start_ = 0, next_send_ns_ = 0, send_step_ns_ = 0;
  std::uint64_t send_events_ = 0;
  std::int64_t measure_start_ = 0, measure_end_ = 0;
  std::uint64_t expected_deliveries_ = 0, unique_deliveries_ = 0;
  std::vector<std::uint32_t> pending_receipts_;  // window mode: per sender x window slot
};

}  // namespace bench
