// The test WebSocket client. Strictness is the point: whatever RFC 6455 forbids the server to send
// (bad framing, invalid UTF-8 in text, frames after its close) throws HarnessFailure at once.
#include "tests/wskit/ws_test_client.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "shared/utf8.hpp"
#include "tests/wskit/handshake.hpp"
#include "tests/wskit/http_head_reader.hpp"

namespace wskit {
namespace {

// Codes an endpoint may put on the wire (RFC 6455 7.4).
bool is_sendable_close_code(int code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

// CHAT_IT_TRACE=1 prints every frame with a timestamp, to tell a slow server from a lost frame.
void trace(const std::string& label, const char* direction, std::string_view bytes) {
  static const bool enabled = std::getenv("CHAT_IT_TRACE") != nullptr;
  if (!enabled) return;
  const auto ms = std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count() % 100000;
  std::fprintf(stderr, "[trace %05lld] %s %s %s\n", static_cast<long long>(ms), label.c_str(), direction,
               preview(bytes, 120).c_str());
}

}  // namespace

std::string WsMessage::describe() const {
  switch (kind) {
    case Kind::text: return "text frame: " + preview(data);
    case Kind::binary: return "binary frame of " + std::to_string(data.size()) + " bytes";
    case Kind::close: return "close frame " + std::to_string(close_code) + " \"" + preview(data) + "\"";
    case Kind::ended: return "end of the TCP connection (no close frame)";
  }
  return "?";
}

WsTestClient::WsTestClient(std::uint16_t port, const HandshakeOptions& options)
    : socket_(TestSocket::connect_loopback(port, options.timeout, options.source)) {
  if (options.tls) socket_.start_tls(deadline_in(options.timeout), kBrowserAlpn);
  handshake(port, options);
}

void WsTestClient::handshake(std::uint16_t port, const HandshakeOptions& options) {
  const Deadline deadline = deadline_in(options.timeout);
  const std::string key = random_websocket_key();
  std::vector<std::string> lines;
  if (options.origin) lines.push_back("Origin: " + *options.origin);
  lines.insert(lines.end(), options.extra_headers.begin(), options.extra_headers.end());
  send_or_throw(upgrade_request("127.0.0.1:" + std::to_string(port), options.path, key, lines), "the upgrade request");
  std::string rest;
  const HttpHead head = read_http_head(socket_, rest, deadline);
  trace(label_, "<-", head.status_line);
  if (const std::string problem = upgrade_problem(head, key); !problem.empty()) fail(problem);
  take(rest);  // the server may have sent its first frames in the same segment as the 101
}

void WsTestClient::send_or_throw(std::string_view bytes, const char* what) {
  if (!send_raw(bytes)) fail(std::string("could not send ") + what + ": connection gone");
}

bool WsTestClient::send_raw(std::string_view bytes) {
  trace(label_, "->", std::to_string(bytes.size()) + " bytes");  // masked, so unreadable anyway
  return socket_.send_all(bytes, deadline_in(kReplyTimeout));
}

void WsTestClient::send_frame(Opcode opcode, std::string_view payload, FrameBits bits) {
  send_or_throw(encode_frame(opcode, payload, bits), "a frame");
}

void WsTestClient::send_text(std::string_view text) { send_frame(Opcode::text, text); }
void WsTestClient::send_binary(std::string_view data) { send_frame(Opcode::binary, data); }
void WsTestClient::send_ping(std::string_view payload) { send_frame(Opcode::ping, payload); }

void WsTestClient::send_close(int code, std::string_view reason) {
  send_frame(Opcode::close, close_payload(code, reason));
  close_sent_ = true;
}

void WsTestClient::send_fragmented_text(std::string_view text, std::size_t fragment_bytes) {
  Opcode opcode = Opcode::text;
  do {
    const auto part = text.substr(0, fragment_bytes);
    text.remove_prefix(part.size());
    send_frame(opcode, part, FrameBits{text.empty()});
    opcode = Opcode::continuation;
  } while (!text.empty());
}

bool WsTestClient::pump(Deadline deadline) {
  std::string bytes;
  const auto status = socket_.read_some(bytes, deadline);
  if (status == TestSocket::ReadStatus::timeout) return false;
  if (status == TestSocket::ReadStatus::closed) {
    // A reset cuts whatever was in flight (the server resets a client it gave up on); an orderly
    // close in the middle of a frame is the server's fault.
    if (received_at_ < received_.size() && !socket_.was_reset()) fail("connection ended in the middle of a server frame");
    ended_ = true;
    inbox_.push_back(WsMessage{WsMessage::Kind::ended, {}, 0});
    return true;
  }
  take(bytes);
  return true;
}

void WsTestClient::take(std::string_view bytes) {
  received_.append(bytes);
  for (;;) {
    FrameView view;
    std::size_t used = 0;
    const ParseResult result =
        parse_frame(received_.data() + received_at_, received_.size() - received_at_, kServerFramesStrict, view, used);
    if (result.status == ParseStatus::incomplete) return;
    if (result.status == ParseStatus::error) fail(std::string("server ") + result.error);
    WireFrame frame{view.fin, view.opcode, std::string(view.payload)};
    received_at_ += used;
    compact();
    on_frame(std::move(frame));
  }
}

void WsTestClient::compact() {
  // Erasing the front once most of the buffer is consumed keeps large bursts linear.
  if (received_at_ > 64 * 1024 && received_at_ * 2 > received_.size()) {
    received_.erase(0, received_at_);
    received_at_ = 0;
  }
}

void WsTestClient::on_frame(WireFrame frame) {
  trace(label_, "<-", frame.payload);
  if (close_received_) fail("server sent a frame after its close frame");
  switch (frame.opcode) {
    case Opcode::ping:
      ++pings_received_;
      if (auto_pong_ && !close_sent_) send_raw(encode_frame(Opcode::pong, frame.payload));
      return;
    case Opcode::pong:
      pongs_.push_back(std::move(frame.payload));
      return;
    case Opcode::close:
      on_close_frame(frame.payload);
      return;
    default:
      on_data_frame(std::move(frame));
  }
}

void WsTestClient::on_close_frame(const std::string& payload) {
  close_received_ = true;
  WsMessage message{WsMessage::Kind::close, {}, 1005};
  if (payload.size() == 1) fail("server close frame with a 1-byte payload");
  if (payload.size() >= 2) {
    message.close_code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
    message.data = payload.substr(2);
    if (!is_sendable_close_code(message.close_code)) {
      fail("server close frame with invalid code " + std::to_string(message.close_code));
    }
    if (!chat::utf8::is_valid(message.data)) fail("server close reason is not UTF-8");
  }
  inbox_.push_back(std::move(message));
}

void WsTestClient::on_data_frame(WireFrame frame) {
  if (frame.opcode == Opcode::continuation) {
    if (!fragment_opcode_) fail("server continuation frame with no message started");
  } else {
    if (fragment_opcode_) fail("server started a new message inside a fragmented one");
    fragment_opcode_ = frame.opcode;
    fragment_.clear();
  }
  fragment_ += frame.payload;
  if (!frame.fin) return;
  const bool text = *fragment_opcode_ == Opcode::text;
  if (text && !chat::utf8::is_valid(fragment_)) {
    fail("server text message is not valid UTF-8: " + preview(fragment_));
  }
  inbox_.push_back(WsMessage{text ? WsMessage::Kind::text : WsMessage::Kind::binary, std::move(fragment_), 0});
  fragment_.clear();
  fragment_opcode_.reset();
}

std::optional<WsMessage> WsTestClient::receive(milliseconds timeout) {
  const Deadline deadline = deadline_in(timeout);
  while (inbox_.empty()) {
    if (ended_) return WsMessage{WsMessage::Kind::ended, {}, 0};
    if (!pump(deadline)) return std::nullopt;
  }
  WsMessage message = std::move(inbox_.front());
  inbox_.pop_front();
  return message;
}

std::string WsTestClient::next_pong(milliseconds timeout) {
  const Deadline deadline = deadline_in(timeout);
  while (pongs_.empty()) {
    if (ended_) fail("connection ended while waiting for a pong");
    if (!pump(deadline)) fail("no pong within " + std::to_string(timeout.count()) + " ms");
  }
  std::string got = std::move(pongs_.front());
  pongs_.pop_front();
  return got;
}

void WsTestClient::expect_pong(std::string_view payload, milliseconds timeout) {
  const std::string got = next_pong(timeout);
  if (got != payload) fail("pong payload \"" + preview(got) + "\", expected \"" + std::string(payload) + "\"");
}

void WsTestClient::expect_no_frame(milliseconds quiet) {
  if (const auto message = receive(quiet)) {
    fail("expected nothing for " + std::to_string(quiet.count()) + " ms, got " + message->describe());
  }
}

void WsTestClient::expect_close(int code, milliseconds timeout) {
  const auto message = receive(timeout);
  if (!message) fail("expected close " + std::to_string(code) + ", got nothing in time");
  if (message->kind != WsMessage::Kind::close || message->close_code != code) {
    fail("expected close " + std::to_string(code) + ", got " + message->describe());
  }
  finish_closing_handshake(code, timeout);
}

std::string WsTestClient::expect_close_or_end(int code, milliseconds timeout) {
  const auto message = receive(timeout);
  if (!message) fail("expected close " + std::to_string(code) + " or the end, got nothing in time");
  if (message->kind == WsMessage::Kind::ended) return "connection ended without a close frame";
  if (message->kind != WsMessage::Kind::close || message->close_code != code) {
    fail("expected close " + std::to_string(code) + " or the end, got " + message->describe());
  }
  finish_closing_handshake(code, timeout);
  return "close " + std::to_string(code);
}

void WsTestClient::close(int code) {
  send_close(code);
  const Deadline deadline = deadline_in(kReplyTimeout);
  for (;;) {
    const auto message = receive(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
    if (!message) fail("server did not answer our close frame");
    if (message->kind == WsMessage::Kind::ended) fail("connection ended without the server's close frame");
    if (message->kind == WsMessage::Kind::close) break;  // data sent before our close may still arrive
  }
  expect_ended(kTcpCloseTimeout);
}

void WsTestClient::finish_closing_handshake(int code, milliseconds timeout) {
  // RFC 6455 5.5.1: answer the server's close with a close, then the server closes TCP first.
  if (!close_sent_) send_raw(encode_frame(Opcode::close, close_payload(code)));
  close_sent_ = true;
  expect_ended(std::min(timeout, kTcpCloseTimeout));
}

void WsTestClient::expect_ended(milliseconds timeout) {
  const auto message = receive(timeout);
  if (!message) {
    fail("server kept the TCP connection open " + std::to_string(timeout.count()) + " ms after the closing handshake");
  }
  if (message->kind != WsMessage::Kind::ended) fail("after close, got " + message->describe());
}

}  // namespace wskit
