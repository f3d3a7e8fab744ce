// Client WebSocket state machine. Reads go to the loop's shared scratch buffer and are parsed in
// place; only an incomplete tail is copied into in_, so 10 000 idle clients cost little memory.
#include "tests/wskit/ws_connection.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "tests/wskit/errno_text.hpp"
#include "tests/wskit/handshake.hpp"

namespace wskit {
namespace {

constexpr std::size_t kMaxUpgradeHead = 16 * 1024;
constexpr std::size_t kMaxMessage = 1 << 20;

}  // namespace

WsConnection::WsConnection(WsConnection&& other) noexcept
    : owner_(other.owner_), id_(other.id_), fd_(std::exchange(other.fd_, -1)), epoll_fd_(other.epoll_fd_),
      state_(other.state_), want_writable_(other.want_writable_), reading_(other.reading_), raw_(other.raw_),
      receive_buffer_(other.receive_buffer_), source_address_(other.source_address_), close_code_(other.close_code_), fragment_opcode_(other.fragment_opcode_),
      mask_state_(other.mask_state_), frames_received_(other.frames_received_), key_(std::move(other.key_)),
      in_(std::move(other.in_)), out_(std::move(other.out_)), fragments_(std::move(other.fragments_)) {}

WsConnection::~WsConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool WsConnection::start(const WsTarget& target, int epoll_fd, std::string& error) {
  if (!open_socket(target.address, epoll_fd, error)) return false;
  key_ = websocket_key(mask_state_ ^ 0x9E3779B97F4A7C15ULL);
  out_ = upgrade_request(target.host_port, target.path, key_);
  return true;
}

bool WsConnection::start_raw(const WsTarget& target, std::string_view bytes, int epoll_fd, std::string& error) {
  raw_ = true;
  if (!open_socket(target.address, epoll_fd, error)) return false;
  out_.assign(bytes);
  return true;
}

bool WsConnection::open_socket(const sockaddr_in& address, int epoll_fd, std::string& error) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error = errno_text("socket");
    return false;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small frames must not wait
  if (receive_buffer_ > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_, sizeof receive_buffer_);
  if (source_address_ != 0 && !bind_source_address(error)) return false;
  epoll_fd_ = epoll_fd;
  mask_state_ = (id_ * 2654435761u) | 1u;  // xorshift must never start at 0
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
    error = errno_text("connect");
    return false;
  }
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT;
  event.data.u64 = id_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd_, &event) != 0) {
    error = errno_text("epoll_ctl");
    return false;
  }
  want_writable_ = true;
  state_ = State::connecting;
  return true;
}

bool WsConnection::bind_source_address(std::string& error) {
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = source_address_;
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0) {
    error = errno_text("bind");
    return false;
  }
  return true;
}

void WsConnection::on_event(std::uint32_t events, std::int64_t now_ns, char* scratch, std::size_t scratch_size) {
  if (state_ == State::connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) on_connected();
  if (state_ == State::closed) return;
  if (events & EPOLLOUT) flush();
  if (state_ != State::closed && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) read_some(now_ns, scratch, scratch_size);
}

void WsConnection::on_connected() {
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) {
    errno = error;
    fail(errno_text("connect"));
    return;
  }
  state_ = raw_ ? State::raw : State::upgrading;  // the request (or raw bytes) is in out_; flush() sends it
}

void WsConnection::read_some(std::int64_t now_ns, char* scratch, std::size_t scratch_size) {
  const ssize_t got = ::read(fd_, scratch, scratch_size);
  if (got < 0) {
    if (errno != EAGAIN && errno != EINTR) fail(errno_text("read"));
    return;
  }
  if (got == 0) {
    fail("connection closed by the server without a close frame");
    return;
  }
  std::size_t used = 0;
  if (in_.empty()) {
    consume(scratch, static_cast<std::size_t>(got), now_ns, used);
    if (state_ != State::closed && used < static_cast<std::size_t>(got)) in_.assign(scratch + used, got - used);
    return;
  }
  in_.append(scratch, static_cast<std::size_t>(got));
  consume(in_.data(), in_.size(), now_ns, used);
  if (state_ != State::closed) in_.erase(0, used);
}

void WsConnection::consume(char* data, std::size_t size, std::int64_t now_ns, std::size_t& used) {
  used = 0;
  if (state_ == State::raw) {
    used = size;  // an HTTP error page or the like: only the server's hang-up matters
    return;
  }
  if (state_ == State::upgrading && !finish_upgrade(data, size, now_ns, used)) return;
  while (state_ == State::open && used < size) {
    FrameView frame;
    std::size_t frame_size = 0;
    const ParseResult result = parse_frame(data + used, size - used, kServerFramesLenient, frame, frame_size);
    if (result.status == ParseStatus::incomplete) return;
    if (result.status == ParseStatus::error) {
      fail(std::string("bad frame from the server: ") + result.error);
      return;
    }
    used += frame_size;
    handle_frame(frame, now_ns);
  }
}

bool WsConnection::finish_upgrade(char* data, std::size_t size, std::int64_t now_ns, std::size_t& used) {
  const std::string_view bytes(data, size);
  const std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (size > kMaxUpgradeHead) fail("upgrade answer too long");
    return false;
  }
  const auto head = parse_http_head(bytes.substr(0, end));
  const std::string problem = head ? upgrade_problem(*head, key_) : "not an HTTP answer to the upgrade";
  if (!problem.empty()) {
    fail(problem);
    return false;
  }
  used = end + 4;
  key_.clear();
  key_.shrink_to_fit();
  state_ = State::open;
  owner_->on_open(*this, now_ns);
  return state_ == State::open;
}

void WsConnection::handle_frame(const FrameView& frame, std::int64_t now_ns) {
  switch (frame.opcode) {
    case Opcode::text:
    case Opcode::binary:
      if (!fragments_.empty() || fragment_opcode_ == Opcode::continuation) return fail("new message inside a fragmented one");
      if (frame.opcode == Opcode::binary) return fail("binary frame from the server");
      ++frames_received_;
      if (frame.fin) return owner_->on_text(*this, frame.payload, now_ns);
      fragment_opcode_ = Opcode::continuation;  // marks "inside a fragmented message"
      fragments_.assign(frame.payload);
      return;
    case Opcode::continuation:
      if (fragment_opcode_ != Opcode::continuation) return fail("continuation frame outside a message");
      if (fragments_.size() + frame.payload.size() > kMaxMessage) return fail("fragmented message too large");
      fragments_.append(frame.payload);
      if (!frame.fin) return;
      fragment_opcode_ = Opcode::text;
      owner_->on_text(*this, fragments_, now_ns);
      fragments_.clear();
      return;
    case Opcode::ping:
      return send_frame(Opcode::pong, frame.payload);
    case Opcode::pong:
      return;
    case Opcode::close: {
      const unsigned code = frame.payload.size() >= 2
                                ? (static_cast<unsigned char>(frame.payload[0]) << 8) | static_cast<unsigned char>(frame.payload[1])
                                : 1005;
      close_code_ = static_cast<std::uint16_t>(code);
      send_frame(Opcode::close, frame.payload.substr(0, 2));
      return fail("server closed the connection with code " + std::to_string(code));
    }
    default:
      return fail("unknown opcode from the server");
  }
}

void WsConnection::send_text(std::string_view payload) { send_frame(Opcode::text, payload); }

void WsConnection::send_close(std::uint16_t code) {
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  send_frame(Opcode::close, std::string_view(payload, 2));
}

void WsConnection::set_reading(bool on) {
  if (on == reading_ || fd_ < 0) return;
  reading_ = on;
  update_interest(want_writable_, reading_);
}

void WsConnection::send_frame(Opcode opcode, std::string_view payload) {
  if (state_ != State::open) return;
  const bool was_empty = out_.empty();
  append_frame(out_, opcode, payload, next_mask());  // masked: FrameBits' default
  if (was_empty) flush();
}

void WsConnection::flush() {
  if (state_ == State::connecting || state_ == State::closed) return;
  while (!out_.empty()) {
    const ssize_t sent = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN) break;
      if (errno == EINTR) continue;
      if (errno != EPIPE && errno != ECONNRESET) return fail(errno_text("send"));
      // The server reset the connection: what it sent first (a close frame, say) may still wait
      // in our socket. The hang-up keeps the socket readable, and reading reports the end.
      out_.clear();
      break;
    }
    out_.erase(0, static_cast<std::size_t>(sent));
  }
  want_writable(!out_.empty());
}

void WsConnection::want_writable(bool on) {
  if (on == want_writable_) return;
  update_interest(on, reading_);
  want_writable_ = on;
}

void WsConnection::update_interest(bool writable, bool reading) {
  epoll_event event{};
  event.events = (reading ? EPOLLIN : 0u) | (writable ? EPOLLOUT : 0u);
  event.data.u64 = id_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd_, &event);
}

std::uint32_t WsConnection::next_mask() {
  // xorshift32; a state of 0 would stay 0, so it is stepped past.
  do {
    mask_state_ ^= mask_state_ << 13;
    mask_state_ ^= mask_state_ >> 17;
    mask_state_ ^= mask_state_ << 5;
  } while (mask_state_ == 0);
  return mask_state_;
}

void WsConnection::fail(const std::string& why) {
  if (state_ == State::closed) return;
  close_now();
  owner_->on_failed(*this, why);
}

void WsConnection::reset_now() {
  if (fd_ >= 0) {
    const linger abort{1, 0};  // linger on, zero seconds: close() sends RST and drops unsent bytes
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  close_now();
}

void WsConnection::close_now() {
  if (fd_ >= 0) ::close(fd_);  // also removes it from epoll
  fd_ = -1;
  state_ = State::closed;
}

}  // namespace wskit
