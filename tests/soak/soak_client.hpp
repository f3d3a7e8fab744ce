// The soak's clients. Each owns one connection and plays one role, driven by the run's epoll loop
// (frames, failures) and by one timer each (SoakWorld::wake):
// - Chatter: honest, there from before the traffic to its end; sends stamped lines at its rate and
//   checks every line of its room (a full receiver of the ledger). The busy room's senders and
//   readers are chatters too.
// - Churner: logs in, joins (sometimes creates) a room, says a few lines, waits for them to come
//   back, lingers, maybe visits another room, and leaves: close handshake, hang-up or RST, now and
//   then with lines still in flight.
// - SlowReader: in the busy room; reads for a few seconds, then stops reading for a short or a
//   long spell while it keeps typing (which keeps it alive for the server's liveness check). A long
//   spell overflows its server queue (4 MiB) and the server drops it: counted, not a failure.
// Hostile clients are in soak_hostile.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/soak/kit_names.hpp"
#include "tests/soak/soak_ledger.hpp"
#include "tests/soak/soak_options.hpp"
#include "tests/soak/soak_tally.hpp"

namespace soak {

// What the clients of one soak share. Owned by SoakRun.
struct SoakWorld {
  explicit SoakWorld(const SoakOptions& soak_options) : options(soak_options), random(soak_options.seed) {}

  const SoakOptions& options;
  DeliveryLedger ledger;
  SoakTally tally;
  std::mt19937_64 random;
  std::vector<std::string> room_names;  // by ledger room index
  std::uint32_t talk_rooms = 0;         // rooms [0, talk_rooms) are the chatters'
  std::uint32_t fire_room = 0;          // the busy room
  std::uint32_t members_joined = 0;     // chatters and slow readers that reached their room
  // Our connections the server counts as unfinished requests: it resets any beyond 64 per address
  // (docs/PROTOCOL.md, "Limits"), so the run starts new ones only while this is low.
  std::uint32_t handshaking = 0;
  bool sending = false;                 // the traffic phase: honest clients send only then
  int epoll_fd = -1;
  WsTarget target;
  std::function<void(std::uint32_t client, std::int64_t at)> wake;

  double uniform(double low, double high);
  bool chance(double probability);
  std::uint32_t pick(std::uint32_t count);  // 0 .. count-1
};

class SoakClient : public ConnectionOwner {
 public:
  SoakClient(SoakWorld& world, Role role, std::uint32_t id);
  virtual ~SoakClient() = default;
  SoakClient(const SoakClient&) = delete;
  SoakClient& operator=(const SoakClient&) = delete;

  virtual void start(std::int64_t now);  // connects and upgrades
  virtual void on_timer(std::int64_t) {}
  virtual void traffic_started(std::int64_t) {}
  virtual void traffic_stopped(std::int64_t) {}

  // True once, for the timer the client asked for last (a timer it replaced is stale).
  bool due(std::int64_t at) {
    if (at != wake_at_) return false;
    wake_at_ = 0;
    return true;
  }
  void quit() { end(); }  // the soak is over

  Role role() const { return role_; }
  std::uint32_t id() const { return id_; }
  bool done() const { return done_; }
  std::int64_t wake_at() const { return wake_at_; }
  WsConnection& connection() { return connection_; }

 protected:
  void wake_at(std::int64_t at);
  void wake_in(std::int64_t now, double seconds) { wake_at(now + static_cast<std::int64_t>(seconds * 1e9)); }
  // Finished: the run frees the client after the current event.
  void end();
  // Starts the TCP connection (and the upgrade, unless a hostile client says otherwise).
  virtual bool begin_connection(std::string& error);
  // The WebSocket is open: the role takes over.
  virtual void opened(WsConnection& connection, std::int64_t now) = 0;
  std::string name() const;  // "h12", "c345", "s6", "x78": the letter says the role

  SoakWorld& world_;
  WsConnection connection_;

 private:
  void on_open(WsConnection& connection, std::int64_t now) final;
  // From connect() to the end of the upgrade (or to the end, for a connection that never upgrades).
  void handshake_begun();
  void handshake_over();

  Role role_;
  std::uint32_t id_;
  bool done_ = false;
  bool handshaking_ = false;
  std::int64_t wake_at_ = 0;
};

// An honest client: logs in, goes to its room, checks every stamped line it gets there.
class Member : public SoakClient {
 public:
  Member(SoakWorld& world, Role role, std::uint32_t id, std::uint32_t room, int version);

 protected:
  virtual void on_logged_in(std::int64_t now);  // default: join room_
  virtual void on_room_created(std::int64_t) {}
  virtual void on_joined(std::int64_t now) = 0;
  virtual void on_own_line_back(std::int64_t) {}
  std::string creating_;  // the room this client asked to create, until it is
  void join(std::uint32_t room);
  // Version-2 clients hear of everyone's new rooms: only the one asked for here is its own.
  void create_room(const std::string& room);
  void send_line(std::int64_t now, std::size_t bytes = kChatTextBytes);
  // Unexpected end of an honest connection: a failure of the run.
  void lost_connection(const std::string& why);

  void opened(WsConnection& connection, std::int64_t now) override;
  void on_text(WsConnection& connection, std::string_view payload, std::int64_t now) override;
  void on_failed(WsConnection& connection, const std::string& why) override;

  std::uint32_t room_;
  int version_;
  bool in_room_ = false;
  bool ever_joined_ = false;

 private:
  void check_chat(std::string_view payload, std::int64_t now);
};

class Chatter : public Member {
 public:
  Chatter(SoakWorld& world, std::uint32_t id, std::uint32_t room, double rate, std::size_t text_bytes, bool creates_room);
  void traffic_started(std::int64_t now) override;
  void on_timer(std::int64_t now) override;

 private:
  void on_logged_in(std::int64_t now) override;
  void on_room_created(std::int64_t now) override;
  void on_joined(std::int64_t now) override;

  double rate_;
  std::size_t text_bytes_;
  bool creates_room_;
};

class Churner : public Member {
 public:
  Churner(SoakWorld& world, std::uint32_t id);
  void on_timer(std::int64_t now) override;
  void traffic_stopped(std::int64_t now) override;

 private:
  enum class Phase { arriving, chatting, awaiting_echoes, lingering, closing, gone };
  enum class Exit { close_handshake, hang_up, reset, reset_in_flight };

  void on_logged_in(std::int64_t now) override;
  void on_room_created(std::int64_t now) override;
  void on_joined(std::int64_t now) override;
  void on_own_line_back(std::int64_t now) override;
  void on_failed(WsConnection& connection, const std::string& why) override;
  void done_chatting(std::int64_t now);
  void linger_or_leave(std::int64_t now);
  void leave(std::int64_t now);

  Phase phase_ = Phase::arriving;
  Exit exit_;
  int lines_left_;
  bool visited_ = false;
};

class SlowReader : public Member {
 public:
  SlowReader(SoakWorld& world, std::uint32_t id);
  void on_timer(std::int64_t now) override;
  void traffic_stopped(std::int64_t now) override;

 private:
  void on_joined(std::int64_t now) override;
  void on_failed(WsConnection& connection, const std::string& why) override;
  void pause(std::int64_t now);
  void resume(std::int64_t now);
  void keep_typing(std::int64_t now);
  double queue_fill_s() const;

  bool paused_ = false;
  int pauses_ = 0;
  bool long_pause_ = false;  // the current (or last) pause is a long one
  double pause_s_ = 0;
  std::int64_t pause_end_ = 0;
};

}  // namespace soak
