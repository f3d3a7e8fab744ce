// The kit's non-blocking WebSocket client, for load: one socket driven by the caller's epoll loop;
// connect, upgrade, frames in (read leniently; fragments joined, pings answered, close handled),
// masked frames out. What the text frames mean is the owner's business. The soak's misbehaving
// clients also use it to stop reading, to send frames the server must refuse, and to send bytes
// that never upgrade.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tests/wskit/frame.hpp"
#include "tests/wskit/ws_target.hpp"

namespace wskit {

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
  // raw: connected by start_raw, never upgraded; whatever the server sends is discarded.
  enum class State { idle, connecting, upgrading, open, raw, closed };

  WsConnection(ConnectionOwner& owner, std::uint32_t id) : owner_(&owner), id_(id) {}
  WsConnection(WsConnection&& other) noexcept;
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;
  ~WsConnection();

  // Starts a non-blocking connect and registers the socket with epoll (data = id).
  bool start(const WsTarget& target, int epoll_fd, std::string& error);
  // Connects and sends `bytes` as they are, no upgrade: a half-made handshake, or nothing at all.
  // The server closing the socket is reported by on_failed.
  bool start_raw(const WsTarget& target, std::string_view bytes, int epoll_fd, std::string& error);
  // `scratch` is the loop's read buffer, shared by all connections.
  void on_event(std::uint32_t events, std::int64_t now_ns, char* scratch, std::size_t scratch_size);
  void send_text(std::string_view payload);
  // Any opcode, even one RFC 6455 reserves (the server must close with 1002).
  void send_frame(Opcode opcode, std::string_view payload);
  void send_close(std::uint16_t code);
  // Caps the socket's receive buffer (before start): the kernel then holds little of what the
  // server sends to a client that stops reading, and the server's own queue fills instead.
  void limit_receive_buffer(int bytes) { receive_buffer_ = bytes; }
  // Binds the socket to this source address (network order, before start), the port still picked
  // by connect() per destination (IP_BIND_ADDRESS_NO_PORT): one address has only ~28 000
  // ephemeral ports, so a load of 100 000 spreads over several 127.0.0.x. 0: no bind.
  void bind_source(std::uint32_t address) { source_address_ = address; }
  // Off: the socket is left unread (its kernel buffers fill, pings go unanswered) until turned on
  // again. Errors and hang-ups are still noticed.
  void set_reading(bool on);
  // Feeds bytes as if read from the socket (the parse ceiling measures exactly this path).
  void consume(char* data, std::size_t size, std::int64_t now_ns, std::size_t& used);
  void close_now();
  // An abortive close: RST instead of FIN, as when a client's machine drops off the network.
  void reset_now();
  // Skips connect and upgrade, for feeding pre-built frames with consume().
  void force_open() { state_ = State::open; }

  std::uint32_t id() const { return id_; }
  State state() const { return state_; }
  std::uint64_t frames_received() const { return frames_received_; }
  std::uint16_t close_code() const { return close_code_; }  // the server's close frame's code; 0: none

 private:
  bool open_socket(const sockaddr_in& address, int epoll_fd, std::string& error);
  bool bind_source_address(std::string& error);
  void on_connected();
  void read_some(std::int64_t now_ns, char* scratch, std::size_t scratch_size);
  bool finish_upgrade(char* data, std::size_t size, std::int64_t now_ns, std::size_t& used);
  void handle_frame(const FrameView& frame, std::int64_t now_ns);
  void flush();
  void want_writable(bool on);
  void update_interest(bool writable, bool reading);
  void fail(const std::string& why);
  std::uint32_t next_mask();

  ConnectionOwner* owner_;
  std::uint32_t id_;
  int fd_ = -1;
  int epoll_fd_ = -1;
  State state_ = State::idle;
  bool want_writable_ = false;
  bool reading_ = true;
  bool raw_ = false;
  int receive_buffer_ = 0;  // 0: the kernel's default, auto-tuned
  std::uint32_t source_address_ = 0;  // network order; 0: the kernel picks
  std::uint16_t close_code_ = 0;
  Opcode fragment_opcode_ = Opcode::text;
  std::uint32_t mask_state_ = 0;
  std::uint64_t frames_received_ = 0;
  std::string key_;          // the upgrade's Sec-WebSocket-Key, until the answer is checked
  std::string in_;           // bytes of an incomplete frame carried over to the next read
  std::string out_;          // bytes the socket did not take yet
  std::string fragments_;    // a fragmented message being joined
};

}  // namespace wskit
