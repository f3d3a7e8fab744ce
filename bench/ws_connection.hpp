// One client WebSocket over a non-blocking TCP socket driven by the caller's epoll loop: connect,
// upgrade, frames in (fragments joined, pings answered, close handled), masked frames out.
// What the text frames mean is the owner's business.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "bench/ws_codec.hpp"

namespace bench {

class WsConnection;

// Told about a connection's life; called from inside WsConnection::on_event.
class ConnectionOwner {
 public:
  virtual void on_open(WsConnection& connection, std::int64_t now_ns) = 0;
  virtual void on_text(WsConnection& connection, std::string_view payload, std::int64_t now_ns) = 0;
  virtual void on_failed(WsConnection& connection, const std::string& why) = 0;

 protected:
  ~ConnectionOwner() = default;
};

class WsConnection {
 public:
  enum class State { idle, connecting, upgrading, open, closed };

  WsConnection(ConnectionOwner& owner, std::uint32_t id) : owner_(&owner), id_(id) {}
  WsConnection(WsConnection&& other) noexcept;
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;
  ~WsConnection();

  // Starts a non-blocking connect and registers the socket with epoll (data = id).
  bool start(const sockaddr_in& address, const std::string& host_port, int epoll_fd, std::string& error);
  // `scratch` is the loop's read buffer, shared by all connections.
  void on_event(std::uint32_t events, std::int64_t now_ns, char* scratch, std::size_t scratch_size);
  void send_text(std::string_view payload);
  // Feeds bytes as if read from the socket (the parse ceiling measures exactly this path).
  void consume(char* data, std::size_t size, std::int64_t now_ns, std::size_t& used);
  void close_now();
  // Skips connect and upgrade, for feeding pre-built frames with consume().
  void force_open() { state_ = State::open; }

  std::uint32_t id() const { return id_; }
  State state() const { return state_; }
  std::uint64_t frames_received() const { return frames_received_; }

 private:
  void on_connected();
  void read_some(std::int64_t now_ns, char* scratch, std::size_t scratch_size);
  bool finish_upgrade(char* data, std::size_t size, std::int64_t now_ns, std::size_t& used);
  void handle_frame(const FrameView& frame, std::int64_t now_ns);
  void send_frame(Opcode opcode, std::string_view payload);
  void flush();
  void want_writable(bool on);
  void fail(const std::string& why);
  std::uint32_t next_mask();

  ConnectionOwner* owner_;
  std::uint32_t id_;
  int fd_ = -1;
  int epoll_fd_ = -1;
  State state_ = State::idle;
  bool want_writable_ = false;
  Opcode fragment_opcode_ = Opcode::text;
  std::uint32_t mask_state_ = 0;
  std::uint64_t frames_received_ = 0;
  std::string key_;          // the upgrade's Sec-WebSocket-Key, until the answer is checked
  std::string in_;           // bytes of an incomplete frame carried over to the next read
  std::string out_;          // bytes the socket did not take yet
  std::string fragments_;    // a fragmented message being joined
};

}  // namespace bench
