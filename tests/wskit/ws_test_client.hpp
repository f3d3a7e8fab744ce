// The kit's blocking WebSocket client, written for testing a server: it sends valid and
// deliberately broken frames, parses every byte received strictly, answers pings, and bounds each
// wait.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/wskit/frame.hpp"
#include "tests/wskit/test_socket.hpp"

namespace wskit {

inline constexpr milliseconds kReplyTimeout{5000};  // generous: two test binaries share 2 cores
// After a closing handshake the server closes TCP at once (RFC 6455 7.1.1); well under any
// library timeout (lws: 5 s), so that lingering fails every time instead of now and then.
inline constexpr milliseconds kTcpCloseTimeout{2000};

// Browsers offer both; a server that picks h2 breaks every wss:// test, as it would break browsers.
inline constexpr const char* kBrowserAlpn = "h2,http/1.1";

struct HandshakeOptions {
  std::string path = "/ws";
  std::optional<std::string> origin;
  milliseconds timeout = kReplyTimeout;
  bool tls = false;                        // wss:// (TLS offering kBrowserAlpn) instead of ws://
  std::vector<std::string> extra_headers;  // "Name: value", e.g. what a reverse proxy adds
  std::string source;                      // the client's address in 127.0.0.0/8 ("": 127.0.0.1)
};

// One received message (fragments already joined), or the end of the connection.
// A frame as the client keeps it: the payload copied out of the read buffer.
struct WireFrame {
  bool fin = true;
  Opcode opcode = Opcode::text;
  std::string payload;
};

struct WsMessage {
  enum class Kind { text, binary, close, ended };  // ended: the TCP stream ended (FIN or RST)
  Kind kind = Kind::text;
  std::string data;    // the payload, or the close reason
  int close_code = 0;  // 1005 for a close frame without a code

  std::string describe() const;
};

class WsTestClient {
 public:
  // Connects and completes the upgrade (101 + a correct Sec-WebSocket-Accept) or throws.
  explicit WsTestClient(std::uint16_t port, const HandshakeOptions& options = {});
  virtual ~WsTestClient() = default;
  WsTestClient(const WsTestClient&) = delete;
  WsTestClient& operator=(const WsTestClient&) = delete;

  // Each send throws HarnessFailure if the connection is already gone.
  void send_text(std::string_view text);
  void send_binary(std::string_view data);
  void send_ping(std::string_view payload);
  void send_close(int code, std::string_view reason = {});
  // One text message as a first frame plus continuation frames of at most fragment_bytes each.
  void send_fragmented_text(std::string_view text, std::size_t fragment_bytes);
  void send_frame(Opcode opcode, std::string_view payload, FrameBits bits = {});
  // Bytes as they are, for malformed frames. False if the server has already gone.
  bool send_raw(std::string_view bytes);

  // The next text/binary/close message, or `ended`; nullopt when nothing arrives in time.
  std::optional<WsMessage> receive(milliseconds timeout = kReplyTimeout);
  // The payload of the next pong received (pongs are kept aside while other frames are read).
  std::string next_pong(milliseconds timeout = kReplyTimeout);
  void expect_pong(std::string_view payload, milliseconds timeout = kReplyTimeout);
  void expect_no_frame(milliseconds quiet = milliseconds(300));
  // The next message must be a close with this code; then completes the closing handshake.
  void expect_close(int code, milliseconds timeout = kReplyTimeout);
  // For protocol errors: a close with this code, or the connection simply ending. Says which.
  std::string expect_close_or_end(int code, milliseconds timeout = kReplyTimeout);
  // A clean close started by the client: waits for the server's close frame and its FIN.
  void close(int code = 1000);
  void abort() { socket_.abort(); }

  void set_auto_pong(bool on) { auto_pong_ = on; }
  // Failures name the client: "bob: expected ...". Login sets the label to the nickname.
  void set_label(std::string label) { label_ = std::move(label); }
  [[noreturn]] void fail(const std::string& what) const { throw HarnessFailure(label_ + ": " + what); }
  int pings_received() const { return pings_received_; }
  int fd() const { return socket_.fd(); }

 private:
  void handshake(std::uint16_t port, const HandshakeOptions& options);
  void send_or_throw(std::string_view bytes, const char* what);
  bool pump(Deadline deadline);  // one read; false on timeout
  void take(std::string_view bytes);  // parses every complete frame in the bytes received
  void compact();
  void on_frame(WireFrame frame);
  void on_close_frame(const std::string& payload);
  void on_data_frame(WireFrame frame);
  void finish_closing_handshake(int code, milliseconds timeout);
  void expect_ended(milliseconds timeout);

  TestSocket socket_;
  std::string received_;        // bytes read and not yet parsed, from received_at_ on
  std::size_t received_at_ = 0;
  std::deque<WsMessage> inbox_;
  std::deque<std::string> pongs_;
  std::optional<Opcode> fragment_opcode_;
  std::string fragment_;
  bool auto_pong_ = true;
  bool close_sent_ = false;
  bool close_received_ = false;
  bool ended_ = false;
  int pings_received_ = 0;
  std::string label_ = "(not logged in)";
};

}  // namespace wskit
