// The run's traffic: warm-up, measured window, drain, and the checks of every receipt; the frames'
// handling. The setup phases before it are load_setup.cpp's. One thread, one epoll set.
#include "bench/load_run.hpp"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>

#include "bench/client_plan.hpp"
#include "bench/kit_names.hpp"
#include "shared/codec.hpp"

namespace bench {
namespace {

constexpr std::size_t kScratchBytes = 256 * 1024;
constexpr int kMaxEvents = 512;
constexpr std::int64_t kSecond = 1'000'000'000;

}  // namespace

bool RunResult::passed() const {
  // Hold mode sends nothing: it passes when every connection was made and stayed.
  const bool delivered = window_deliveries > 0 || spec.senders == 0;
  return setup_error.empty() && counts.lost == 0 && counts.duplicated == 0 && counts.reordered == 0 &&
         malformed == 0 && refusals == 0 && failures == 0 && delivered;
}

LoadRun::LoadRun(const Options& options) : options_(options), spec_(options.spec), scratch_(kScratchBytes) {
  result_.spec = spec_;
  plan();
}

LoadRun::~LoadRun() {
  connections_.clear();  // closes the sockets before the epoll set
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void LoadRun::plan() {
  const auto n = static_cast<std::uint32_t>(spec_.clients);
  const auto r = static_cast<std::uint32_t>(spec_.rooms);
  clients_.assign(n, Client{});
  rooms_.assign(r, Room{});
  std::vector<std::int64_t> first_of_room(r, -1);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto room = static_cast<std::uint32_t>(std::uint64_t{i} * r / n);  // contiguous, even rooms
    clients_[i].room = room;
    ++rooms_[room].members;
    if (first_of_room[room] < 0) first_of_room[room] = i;
  }
  sender_of_client_.assign(n, -1);
  for (std::uint32_t s = 0; s < static_cast<std::uint32_t>(spec_.senders); ++s) {
    const auto room = static_cast<std::uint32_t>(std::uint64_t{s} * r / static_cast<std::uint64_t>(spec_.senders));
    const auto client = static_cast<std::uint32_t>(first_of_room[room]);
    senders_.push_back(Sender{client, static_cast<std::uint32_t>(rooms_[room].senders.size()), 0});
    rooms_[room].senders.push_back(s);
    sender_of_client_[client] = static_cast<std::int32_t>(s);
  }
  for (auto& client : clients_) client.streams.resize(rooms_[client.room].senders.size());
  pending_receipts_.assign(senders_.size() * static_cast<std::size_t>(std::max(spec_.window, 0)), 0);
  connections_.reserve(n);
  ConnectionOwner& owner = *this;  // the base is private: convert here, not inside the vector
  for (std::uint32_t i = 0; i < n; ++i) {
    connections_.emplace_back(owner, i);
    if (options_.source_addresses > 1) {
      connections_.back().bind_source(loopback_source(global_id(i), static_cast<std::uint32_t>(options_.source_addresses)));
    }
  }
  next_client_ = options_.create_rooms ? 1 : 0;  // client 0 creates the rooms before the crowd
}

RunResult LoadRun::run() {
  if (set_up()) {
    if (holds_only(spec_)) hold();
    else drive_traffic();
    finish_checks();
  }
  return result_;
}

void LoadRun::drive_traffic() {
  schedule_start_ = monotonic_ns() + kSecond / 1000;
  measure_start_ = schedule_start_ + seconds_to_ns(options_.warmup_s);
  measure_end_ = measure_start_ + seconds_to_ns(options_.duration_s);
  sending_ = true;
  if (spec_.window > 0) {
    next_send_ns_ = LLONG_MAX;
    const std::int64_t now = monotonic_ns();
    for (std::uint32_t s = 0; s < senders_.size(); ++s) {
      for (int i = 0; i < spec_.window; ++i) send_line(s, now, now);
    }
  } else {
    send_step_ns_ = static_cast<std::int64_t>(1e9 / (spec_.rate * static_cast<double>(senders_.size())));
    next_send_ns_ = schedule_start_;
  }
  pump_until(measure_start_, &LoadRun::never);
  const std::int64_t cpu_start = own_cpu_ns();
  sample_server(result_.server_start);
  const std::int64_t wall_start = monotonic_ns();
  measuring_ = true;
  pump_until(measure_end_, &LoadRun::never);
  measuring_ = false;
  result_.measured_s = static_cast<double>(monotonic_ns() - wall_start) / 1e9;
  sample_server(result_.server_end);
  result_.own_cpu_ns = own_cpu_ns() - cpu_start;
  sending_ = false;
  next_send_ns_ = LLONG_MAX;
  pump_until(monotonic_ns() + seconds_to_ns(options_.drain_s), &LoadRun::all_delivered);
}

void LoadRun::finish_checks() {
  for (const auto& client : clients_) {
    const Room& room = rooms_[client.room];
    for (std::size_t k = 0; k < room.senders.size(); ++k) {
      client.streams[k].finish(senders_[room.senders[k]].next_seq, result_.counts);
    }
  }
  for (const auto& connection : connections_) result_.frames += connection.frames_received();
}

bool LoadRun::pump_until(std::int64_t deadline, bool (LoadRun::*done)() const) {
  epoll_event events[kMaxEvents];
  for (;;) {
    if (fatal_) return false;
    if ((this->*done)()) return true;
    const std::int64_t now = monotonic_ns();
    if (sending_ && now >= next_send_ns_) {
      send_due_lines(now);
      continue;
    }
    if (now >= deadline) return false;
    const std::int64_t wait = (sending_ ? std::min(deadline, next_send_ns_) : deadline) - now;
    const timespec timeout{static_cast<time_t>(wait / kSecond), static_cast<long>(wait % kSecond)};
    const int ready = ::epoll_pwait2(epoll_fd_, events, kMaxEvents, &timeout, nullptr);
    if (ready < 0 && errno != EINTR) {
      note_problem(std::string("epoll_pwait2: ") + std::strerror(errno));
      fatal_ = true;
    }
    if (ready > 0) dispatch(ready, events, monotonic_ns());
  }
}

void LoadRun::dispatch(int ready, const void* raw_events, std::int64_t now) {
  const auto* events = static_cast<const epoll_event*>(raw_events);
  for (int i = 0; i < ready; ++i) {
    if (i > 0) now = monotonic_ns();  // receipt time of this socket's bytes, not the batch's
    // A full batch of busy sockets takes a millisecond or more: keep the send schedule inside it.
    if (sending_ && now >= next_send_ns_) send_due_lines(now);
    connections_[events[i].data.u64].on_event(events[i].events, now, scratch_.data(), scratch_.size());
  }
}

void LoadRun::send_due_lines(std::int64_t now) {
  while (sending_ && next_send_ns_ <= now) {
    send_line(static_cast<std::uint32_t>(send_events_ % senders_.size()), next_send_ns_, now);
    ++send_events_;
    // From the event count, not by adding steps, so rounding never drifts the rate.
    next_send_ns_ = schedule_start_ + static_cast<std::int64_t>(send_events_) * send_step_ns_;
  }
}

void LoadRun::send_line(std::uint32_t s, std::int64_t scheduled, std::int64_t now) {
  Sender& sender = senders_[s];
  const std::uint32_t seq = sender.next_seq++;
  const Room& room = rooms_[clients_[sender.client].room];
  expected_deliveries_ += room.members;
  if (spec_.window > 0) {
    std::uint32_t& pending = pending_receipts_[s * static_cast<std::uint32_t>(spec_.window) + seq % spec_.window];
    if (pending != 0) note_problem("window slot reused while a line is still missing receipts");
    pending = room.members;
  }
  if (measuring_) result_.send_lag.record(now - scheduled);
  ++result_.lines_sent;
  const ChatStamp stamp{sender.client, seq, scheduled, static_cast<std::uint32_t>(std::min<std::int64_t>(now - scheduled, UINT_MAX))};
  connections_[sender.client].send_text(chat::encode(chat::SendMessage{make_chat_text(stamp)}));
}

void LoadRun::on_line_received(std::uint32_t s, std::uint32_t seq) {
  std::uint32_t& pending = pending_receipts_[s * static_cast<std::uint32_t>(spec_.window) + seq % spec_.window];
  if (pending == 0) return;
  if (--pending == 0 && sending_) {
    const std::int64_t now = monotonic_ns();
    send_line(s, now, now);
  }
}

void LoadRun::sample_server(ProcSample& into) {
  if (!result_.have_server) return;
  if (const auto sample = sample_process(options_.server_pid)) {
    into = *sample;
    return;
  }
  result_.have_server = false;  // figures from a vanished process would be nonsense
  note_problem("server process " + std::to_string(options_.server_pid) + " is gone (/proc unreadable)");
}

void LoadRun::note_problem(const std::string& what) {
  if (result_.first_problem.empty()) result_.first_problem = what;
}

bool LoadRun::creator_ready() const {
  return clients_[0].logged_in && rooms_created_ == rooms_.size();
}
bool LoadRun::all_logged_in() const { return logged_in_ == clients_.size(); }
bool LoadRun::all_joined() const { return joined_ == clients_.size(); }
bool LoadRun::all_delivered() const { return unique_deliveries_ >= expected_deliveries_; }

void LoadRun::on_open(WsConnection& connection, std::int64_t) {
  connection.send_text(chat::encode(chat::Login{user_name(global_id(connection.id())), options_.protocol_version}));
}

void LoadRun::on_text(WsConnection& connection, std::string_view payload, std::int64_t now_ns) {
  if (classify_frame(payload) == FrameKind::chat) {
    if (prefilling_) return on_prefill_receipt(connection.id());
    return on_chat(connection.id(), payload, now_ns);
  }
  on_control(connection, payload, now_ns);
}

// The creator's own copy of a history line it wrote: the next line of the window goes out.
void LoadRun::on_prefill_receipt(std::uint32_t receiver) {
  if (receiver != 0) return;
  ++prefill_received_;
  on_prefill_line();
}

void LoadRun::on_chat(std::uint32_t receiver, std::string_view payload, std::int64_t now_ns) {
  ++result_.chat_frames;
  const auto line = scan_chat_line(payload);
  const auto stamp = line ? parse_chat_text(line->text) : std::nullopt;
  const bool known = stamp && stamp->sender < sender_of_client_.size() && sender_of_client_[stamp->sender] >= 0 &&
                     number_in_name(line->user, 'b') == global_id(stamp->sender);
  const auto s = known ? static_cast<std::uint32_t>(sender_of_client_[stamp->sender]) : 0;
  Client& client = clients_[receiver];
  if (!known || clients_[senders_[s].client].room != client.room || stamp->seq >= senders_[s].next_seq) {
    ++result_.malformed;
    note_problem("unexpected chat frame for client " + std::to_string(receiver) + ": " + std::string(payload));
    return;
  }
  if (!client.streams[senders_[s].slot].receive(stamp->seq, result_.counts)) return;
  ++unique_deliveries_;
  if (measuring_) ++result_.window_deliveries;
  if (stamp->scheduled_ns >= measure_start_ && stamp->scheduled_ns < measure_end_) {
    result_.latency.record(now_ns - stamp->scheduled_ns);
    result_.write_latency.record(now_ns - stamp->scheduled_ns - stamp->lag_ns);
  }
  if (spec_.window > 0) on_line_received(s, stamp->seq);
}

void LoadRun::on_control(WsConnection& connection, std::string_view payload, std::int64_t) {
  const std::uint32_t id = connection.id();
  switch (classify_frame(payload)) {
    case FrameKind::logged_in:
      clients_[id].logged_in = true;
      ++logged_in_;
      if (id == 0 && options_.create_rooms) {
        for (std::uint32_t r = 0; r < rooms_.size(); ++r) connection.send_text(chat::encode(chat::CreateRoom{room_name(r)}));
      } else {
        start_more_clients();
      }
      return;
    case FrameKind::joined:
      if (prefilling_ && id == 0) {
        prefill_joined_ = prefill_joined_ || options_.protocol_version == 1;
        return;
      }
      clients_[id].join_acked = true;
      if (options_.protocol_version == 1) mark_joined(id);
      return;
    case FrameKind::room_created:
      ++rooms_created_;
      return;
    case FrameKind::refusal:
      ++result_.refusals;
      note_problem("client " + std::to_string(global_id(id)) + " (" + client_state(id) + ") refused: " + std::string(payload));
      if (in_setup()) fatal_ = true;  // a refused setup step would hang the run
      return;
    case FrameKind::history:
      if (options_.protocol_version == 2) on_history_page(connection, payload);
      return;
    default:
      return;  // rooms lists, members, presence: counted as frames, otherwise not needed
  }
}

void LoadRun::on_failed(WsConnection& connection, const std::string& why) {
  ++result_.failures;
  note_problem("client " + std::to_string(global_id(connection.id())) + " (" + client_state(connection.id()) + "): " + why);
  if (in_setup()) fatal_ = true;  // nothing can proceed without every client
}

// Where a lost client was: in its handshake or login, waiting for the crowd, or joined; and for
// how long since its connect began (a server that drops clients silent too long shows here).
std::string LoadRun::client_state(std::uint32_t client) const {
  const Client& c = clients_[client];
  const char* where = c.joined ? "joined" : c.join_acked ? "join acknowledged" : c.logged_in ? "logged in, not joined"
                                                                                              : "before its login reply";
  char text[96];
  std::snprintf(text, sizeof text, "%s, %.1f s after its connect", where,
                c.started_ns ? static_cast<double>(monotonic_ns() - c.started_ns) / 1e9 : 0.0);
  return text;
}

double LoadRun::measure_parse_ceiling(std::uint64_t frames, int rounds) {
  std::string wire;
  for (std::uint64_t seq = 0; seq < frames; ++seq) {
    const std::string text = make_chat_text(ChatStamp{0, static_cast<std::uint32_t>(seq), 1, 0});
    const std::string json = chat::encode(chat::ServerFrame{chat::chat_line(room_name(0), chat::ChatLine{0, 0, user_name(0), text}, false)});
    append_frame(wire, Opcode::text, json, 0, kUnmasked);
  }
  WsConnection& receiver = connections_[1];
  receiver.force_open();
  senders_[0].next_seq = static_cast<std::uint32_t>(frames);
  measure_start_ = 0;
  measure_end_ = LLONG_MAX;
  measuring_ = true;
  const std::int64_t start = monotonic_ns();
  for (int round = 0; round < rounds; ++round) {
    clients_[1].streams[0] = StreamCheck{};
    for (std::size_t at = 0; at < wire.size();) {
      // Copied into the read buffer first, as a read() would.
      const std::size_t chunk = std::min(scratch_.size(), wire.size() - at);
      std::memcpy(scratch_.data(), wire.data() + at, chunk);
      std::size_t used = 0;
      receiver.consume(scratch_.data(), chunk, monotonic_ns(), used);
      at += used;
    }
  }
  const double seconds = static_cast<double>(monotonic_ns() - start) / 1e9;
  return result_.window_deliveries == frames * static_cast<std::uint64_t>(rounds) && result_.malformed == 0
             ? static_cast<double>(result_.window_deliveries) / seconds
             : -1.0;
}

}  // namespace bench
