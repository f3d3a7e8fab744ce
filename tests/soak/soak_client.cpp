// The soak's honest clients; see soak_client.hpp for what each role does and why.
#include "tests/soak/soak_client.hpp"

#include <algorithm>

#include "shared/codec.hpp"
#include "tests/soak/kit_names.hpp"

namespace soak {
namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

// Churners: how long each step takes, in seconds, and how often each variation happens.
constexpr int kMaxChurnLines = 5;
constexpr double kChurnCreatesRoom = 0.15;
constexpr double kChurnVisitsAnotherRoom = 0.3;
constexpr double kChurnReadsHistory = 0.5;  // v2 churners only
constexpr double kEchoTimeoutS = 10;
constexpr double kCloseReplyTimeoutS = 2;

// Slow readers: reading spells, then pauses alternately short (the queue absorbs them) and long:
// 1.2 to 1.5 times what fills the server's 4 MiB queue at the busy room's rate, so the server must
// have dropped the reader before the pause ends. Before its queue, the server's socket send buffer
// fills: on loopback Linux lets it grow to tcp_wmem's maximum (4 MiB here), so that counts too.
constexpr double kReadSpellMinS = 3, kReadSpellMaxS = 8;
constexpr double kShortPauseMinS = 2, kShortPauseMaxS = 5;
constexpr std::int64_t kQueueCapBytes = 4 * 1024 * 1024;
constexpr double kLongPauseMinFills = 1.2, kLongPauseMaxFills = 1.5;
constexpr double kLongPauseWithoutTrafficS = 60;
constexpr double kTypingEveryS = 2;  // well under the server's 10 s of silence
// A small socket buffer, as on a slow link: what the server sends piles up on the server's side
// rather than in this reader's buffer, which loopback would let grow to MBs.
constexpr int kSlowReceiveBufferBytes = 16 * 1024;

char role_letter(Role role) {
  switch (role) {
    case Role::chatter: return 'h';
    case Role::churner: return 'c';
    case Role::slow_reader: return 's';
    case Role::hostile: return 'x';
  }
  return '?';
}

// The author's name carries the sender's id: a line under someone else's name is malformed.
// Only honest clients (h, c, s) write stamped lines.
bool signed_by(std::string_view user, std::uint32_t sender) {
  return !user.empty() && std::string_view("hcs").find(user[0]) != std::string_view::npos &&
         number_in_name(user, user[0]) == sender;
}

}  // namespace

double SoakWorld::uniform(double low, double high) { return std::uniform_real_distribution<double>(low, high)(random); }
bool SoakWorld::chance(double probability) { return uniform(0, 1) < probability; }
std::uint32_t SoakWorld::pick(std::uint32_t count) {
  return std::uniform_int_distribution<std::uint32_t>(0, count - 1)(random);
}

// ---- SoakClient ----

SoakClient::SoakClient(SoakWorld& world, Role role, std::uint32_t id)
    : world_(world), connection_(*this, id), role_(role), id_(id) {}

void SoakClient::start(std::int64_t) {
  ++world_.tally.of(role_).started;
  std::string error;
  if (!begin_connection(error)) {
    world_.tally.problem(name() + ": " + error);
    return end();
  }
  handshake_begun();
}

bool SoakClient::begin_connection(std::string& error) {
  return connection_.start(world_.target, world_.epoll_fd, error);
}

void SoakClient::handshake_begun() {
  handshaking_ = true;
  ++world_.handshaking;
}

void SoakClient::handshake_over() {
  if (!handshaking_) return;
  handshaking_ = false;
  --world_.handshaking;
}

void SoakClient::on_open(WsConnection& connection, std::int64_t now) {
  handshake_over();
  ++world_.tally.of(role_).opened;
  opened(connection, now);
}

void SoakClient::wake_at(std::int64_t at) {
  wake_at_ = at;
  world_.wake(id_, at);
}

void SoakClient::end() {
  if (done_) return;
  done_ = true;
  handshake_over();
  connection_.close_now();
  ++world_.tally.of(role_).ended;
}

std::string SoakClient::name() const { return role_letter(role_) + std::to_string(id_); }

// ---- Member ----

Member::Member(SoakWorld& world, Role role, std::uint32_t id, std::uint32_t room, int version)
    : SoakClient(world, role, id), room_(room), version_(version) {}

void Member::opened(WsConnection& connection, std::int64_t) {
  connection.send_text(chat::encode(chat::Login{name(), version_}));
}

void Member::on_text(WsConnection&, std::string_view payload, std::int64_t now) {
  switch (classify_frame(payload)) {
    case FrameKind::chat:
      if (in_room_) check_chat(payload, now);  // before the first join: general's lines, not ours
      return;
    case FrameKind::logged_in: return on_logged_in(now);
    case FrameKind::room_created:
      if (creating_.empty() || payload.find("\"room\":\"" + creating_ + "\"") == std::string_view::npos) return;
      creating_.clear();
      return on_room_created(now);
    case FrameKind::joined:
      in_room_ = true;
      return on_joined(now);
    case FrameKind::refusal:
      ++world_.tally.honest_refusals[std::string(error_code(payload))];
      world_.tally.problem(name() + " (honest) refused: " + std::string(payload));
      return;
    default:
      return;  // room lists, presence, members, history pages
  }
}

void Member::on_failed(WsConnection&, const std::string& why) { lost_connection(why); }

void Member::lost_connection(const std::string& why) {
  ++world_.tally.honest_dropped;
  world_.tally.problem(name() + " (" + role_name(role()) + ") lost its connection: " + why);
  in_room_ = false;
  world_.ledger.vanished(id());
  world_.tally.closed_windows += world_.ledger.close_window(id());
  end();
}

void Member::on_logged_in(std::int64_t) { join(room_); }

void Member::join(std::uint32_t room) { connection_.send_text(chat::encode(chat::JoinRoom{world_.room_names[room]})); }

void Member::send_line(std::int64_t now, std::size_t bytes) {
  const std::uint32_t seq = world_.ledger.take_seq(id());
  connection_.send_text(chat::encode(chat::SendMessage{make_chat_text(ChatStamp{id(), seq, now, 0}, bytes)}));
  ++world_.tally.lines_sent;
}

void Member::check_chat(std::string_view payload, std::int64_t now) {
  ++world_.tally.chat_frames;
  const auto line = scan_chat_line(payload);
  const auto stamp = line ? parse_chat_text(line->text) : std::nullopt;
  const auto receipt = stamp && signed_by(line->user, stamp->sender) ? world_.ledger.receive(id(), stamp->sender, stamp->seq)
                                                                     : DeliveryLedger::Receipt::unknown_sender;
  if (receipt == DeliveryLedger::Receipt::first) {
    ++world_.tally.deliveries;
    if (stamp->sender == id()) on_own_line_back(now);
  } else if (receipt != DeliveryLedger::Receipt::duplicate) {  // duplicates are the ledger's to count
    ++world_.tally.malformed;
    world_.tally.problem(name() + " got an unexpected chat frame: " + std::string(payload.substr(0, 200)));
  }
}

void Member::create_room(const std::string& room) {
  creating_ = room;
  connection_.send_text(chat::encode(chat::CreateRoom{room}));
}

// ---- Chatter ----

Chatter::Chatter(SoakWorld& world, std::uint32_t id, std::uint32_t room, double rate, std::size_t text_bytes,
                 bool creates_room)
    // Half speak version 2, as the browser client does: presence, history on every join, tokens.
    : Member(world, Role::chatter, id, room, id % 2 == 0 ? 2 : 1), rate_(rate), text_bytes_(text_bytes),
      creates_room_(creates_room) {}

void Chatter::on_logged_in(std::int64_t) {
  if (creates_room_) create_room(world_.room_names[room_]);
  else join(room_);
}

void Chatter::on_room_created(std::int64_t) { join(room_); }

void Chatter::on_joined(std::int64_t) {
  world_.ledger.add_full_receiver(room_, id());
  if (rate_ > 0) world_.ledger.add_sender(id(), room_);
  ++world_.members_joined;
}

void Chatter::traffic_started(std::int64_t now) {
  if (rate_ > 0) wake_in(now, world_.uniform(0, 1 / rate_));  // spread, so that rooms do not beat in step
}

void Chatter::on_timer(std::int64_t now) {
  if (!world_.sending) return;
  send_line(now, text_bytes_);
  wake_in(now, world_.uniform(0.5, 1.5) / rate_);  // people do not type on a metronome
}

// ---- Churner ----

Churner::Churner(SoakWorld& world, std::uint32_t id)
    : Member(world, Role::churner, id, 0, world.chance(0.5) ? 2 : 1),
      exit_(static_cast<Exit>(std::discrete_distribution<int>({40, 20, 25, 15})(world.random))),
      lines_left_(1 + static_cast<int>(world.pick(kMaxChurnLines))) {}

void Churner::on_logged_in(std::int64_t) {
  if (world_.chance(kChurnCreatesRoom)) {
    create_room("k" + std::to_string(id()));
    return;
  }
  room_ = world_.pick(world_.talk_rooms);
  join(room_);
}

void Churner::on_room_created(std::int64_t) {
  room_ = world_.ledger.add_room();
  world_.room_names.push_back("k" + std::to_string(id()));
  join(room_);
}

void Churner::on_joined(std::int64_t now) {
  if (phase_ != Phase::arriving) return;  // a visit to another room: only listening there
  world_.ledger.add_sender(id(), room_);
  world_.ledger.add_window_receiver(id());
  phase_ = Phase::chatting;
  wake_in(now, world_.uniform(0.1, 1.0));
}

void Churner::on_timer(std::int64_t now) {
  switch (phase_) {
    case Phase::chatting:
      if (!world_.sending) return done_chatting(now);
      send_line(now);
      if (--lines_left_ > 0) return wake_in(now, world_.uniform(0.3, 1.0));
      return done_chatting(now);
    case Phase::awaiting_echoes:
      world_.tally.problem(name() + ": " + std::to_string(world_.ledger.echoed(id())) + " of its " +
                           std::to_string(world_.ledger.sent(id())) + " lines came back within 10 s");
      exit_ = Exit::reset;
      return leave(now);
    case Phase::lingering: return linger_or_leave(now);
    case Phase::closing:
      world_.tally.problem(name() + ": no answer to its close frame within 2 s");
      return end();
    default: return;
  }
}

void Churner::done_chatting(std::int64_t now) {
  if (exit_ == Exit::reset_in_flight) return leave(now);  // the last lines may still be unread
  phase_ = Phase::awaiting_echoes;
  wake_in(now, kEchoTimeoutS);
  on_own_line_back(now);  // perhaps all back already
}

void Churner::on_own_line_back(std::int64_t now) {
  if (phase_ != Phase::awaiting_echoes || world_.ledger.echoed(id()) < world_.ledger.sent(id())) return;
  phase_ = Phase::lingering;
  if (version_ == 2 && world_.chance(kChurnReadsHistory)) {
    connection_.send_text(chat::encode(chat::History{world_.room_names[room_]}));
  }
  wake_in(now, world_.uniform(0.5, 5));
}

void Churner::linger_or_leave(std::int64_t now) {
  if (visited_ || !world_.sending || !world_.chance(kChurnVisitsAnotherRoom)) return leave(now);
  visited_ = true;
  join(world_.pick(world_.talk_rooms));
  wake_in(now, world_.uniform(0.5, 3));
}

void Churner::leave(std::int64_t now) {
  in_room_ = false;  // lines still arriving belong to no window any more
  world_.tally.closed_windows += world_.ledger.close_window(id());
  if (world_.ledger.echoed(id()) < world_.ledger.sent(id())) world_.ledger.vanished(id());
  switch (exit_) {
    case Exit::close_handshake:
      connection_.send_close(1000);
      phase_ = Phase::closing;
      return wake_in(now, kCloseReplyTimeoutS);
    case Exit::hang_up: connection_.close_now(); break;
    case Exit::reset:
    case Exit::reset_in_flight: connection_.reset_now(); break;
  }
  phase_ = Phase::gone;
  end();
}

void Churner::on_failed(WsConnection&, const std::string& why) {
  if (phase_ == Phase::closing) return end();  // the server's answer to our close frame
  phase_ = Phase::gone;
  lost_connection(why);
}

void Churner::traffic_stopped(std::int64_t now) {
  if (phase_ == Phase::arriving || phase_ == Phase::lingering) leave(now);
  else if (phase_ == Phase::chatting) done_chatting(now);
}

// ---- SlowReader ----

SlowReader::SlowReader(SoakWorld& world, std::uint32_t id) : Member(world, Role::slow_reader, id, world.fire_room, 1) {
  connection_.limit_receive_buffer(kSlowReceiveBufferBytes);
}

void SlowReader::on_joined(std::int64_t now) {
  world_.ledger.add_sender(id(), room_);
  world_.ledger.add_window_receiver(id());
  ++world_.members_joined;
  wake_in(now, world_.uniform(kReadSpellMinS, kReadSpellMaxS));
}

void SlowReader::on_timer(std::int64_t now) {
  if (!paused_) {
    if (world_.sending) return pause(now);
    return wake_in(now, world_.uniform(kReadSpellMinS, kReadSpellMaxS));  // traffic not begun yet
  }
  if (now >= pause_end_ || !world_.sending) return resume(now);
  keep_typing(now);
}

void SlowReader::pause(std::int64_t now) {
  connection_.set_reading(false);
  paused_ = true;
  long_pause_ = pauses_++ % 2 == 1;  // short first: a pause the queue absorbs must cost nothing
  pause_s_ = long_pause_ ? world_.uniform(kLongPauseMinFills, kLongPauseMaxFills) * queue_fill_s()
                        : world_.uniform(kShortPauseMinS, kShortPauseMaxS);
  pause_end_ = now + static_cast<std::int64_t>(pause_s_ * 1e9);
  keep_typing(now);
}

void SlowReader::keep_typing(std::int64_t now) {
  send_line(now);
  wake_at(std::min(now + static_cast<std::int64_t>(kTypingEveryS * kSecondNs), pause_end_));
}

// How long the busy room's senders take, at most, to fill what stands between them and a reader
// that stopped: the server's socket send buffer, the server's queue, the reader's small buffer.
double SlowReader::queue_fill_s() const {
  const SoakOptions& o = world_.options;
  const double bytes_per_s = o.fire_senders * o.fire_rate * o.fire_bytes;
  const auto buffered = tcp_send_buffer_max(kQueueCapBytes) + kQueueCapBytes + 2 * kSlowReceiveBufferBytes;
  return bytes_per_s > 0 ? static_cast<double>(buffered) / bytes_per_s : kLongPauseWithoutTrafficS;
}

void SlowReader::resume(std::int64_t now) {
  if (long_pause_ && world_.sending) {  // the server should have dropped it long ago
    world_.tally.problem(name() + " stopped reading for " + std::to_string(static_cast<int>(pause_s_)) +
                         " s and was not dropped (its 4 MiB queue and the kernel's buffers fill in " +
                         std::to_string(static_cast<int>(queue_fill_s())) + " s at most)");
  }
  connection_.set_reading(true);
  paused_ = false;
  wake_in(now, world_.uniform(kReadSpellMinS, kReadSpellMaxS));
}

void SlowReader::traffic_stopped(std::int64_t now) {
  if (paused_) resume(now);
}

// Found out on resuming (or when its typing hits the closed socket). After a long pause this is the
// server doing its job; after a short one it is not.
void SlowReader::on_failed(WsConnection& connection, const std::string& why) {
  in_room_ = false;
  const std::string how = connection.close_code() != 0 ? "close " + std::to_string(connection.close_code())
                          : why.find("reset") != std::string::npos ? "reset"
                                                                   : "hang-up";
  ++world_.tally.slow_drops;
  ++world_.tally.slow_drop_how[how + (long_pause_ ? "" : " after a SHORT pause")];
  if (!long_pause_) world_.tally.problem(name() + " dropped after a short pause: " + why);
  world_.ledger.vanished(id());
  world_.tally.dropped_windows += world_.ledger.close_window(id());
  end();
}

}  // namespace soak
