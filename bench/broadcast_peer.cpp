// The ceiling peer: accept, upgrade, unmask client frames, answer by substring matching, fan a
// chat line out as one pre-framed buffer appended to each member's output.
#include "bench/broadcast_peer.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench/kit_names.hpp"
#include "shared/codec.hpp"

namespace bench {
namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// The string value of "field" in a compact JSON object; empty if absent. Our clients never escape.
std::string_view field_value(std::string_view json, std::string_view field) {
  const std::string key = "\"" + std::string(field) + "\":\"";
  const std::size_t at = json.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t from = at + key.size();
  const std::size_t end = json.find('"', from);
  return end == std::string_view::npos ? std::string_view{} : json.substr(from, end - from);
}

std::string framed(const chat::ServerFrame& frame) {
  std::string wire;
  append_frame(wire, Opcode::text, chat::encode(frame), 0, kUnmasked);
  return wire;
}

struct PeerClient {
  int fd = -1;
  bool open = false;
  bool dirty = false;
  bool want_out = false;  // EPOLLOUT registered: changed only when needed, it costs a syscall
  std::string in, out, user;
  std::size_t room = 0, slot = 0;  // room index and position in that room's member list
};

class Peer {
 public:
  bool listen_on(int port);
  void serve(double lifetime_s);

 private:
  void accept_all();
  void on_readable(int fd);
  bool upgrade(PeerClient& client);
  void handle_frames(PeerClient& client);
  void handle_text(PeerClient& client, std::string_view json);
  void enter_room(PeerClient& client, std::size_t room);
  void queue(PeerClient& client, std::string_view bytes);
  void flush_dirty();
  void drop(int fd);

  int listen_fd_ = -1, epoll_fd_ = -1;
  std::unordered_map<int, PeerClient> clients_;
  std::unordered_map<std::string, std::size_t> room_index_{{"general", 0}};
  std::vector<std::vector<int>> members_{1};
  std::vector<int> dirty_;
};

bool Peer::listen_on(int port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(listen_fd_, 4096) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    std::perror("peer: listen");
    return false;
  }
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event event{EPOLLIN, {}};
  event.data.fd = listen_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &event);
  std::printf("listening on http://127.0.0.1:%d/\n", ntohs(address.sin_port));
  std::fflush(stdout);
  return true;
}

void Peer::serve(double lifetime_s) {
  const std::int64_t end = monotonic_ns() + static_cast<std::int64_t>(lifetime_s * 1e9);
  epoll_event events[512];
  while (!g_stop && monotonic_ns() < end) {
    const int ready = ::epoll_wait(epoll_fd_, events, 512, 200);
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listen_fd_) accept_all();
      else if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(fd);
      if (fd != listen_fd_ && (events[i].events & EPOLLOUT) && clients_.count(fd)) queue(clients_[fd], {});
    }
    flush_dirty();
  }
}

void Peer::accept_all() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    clients_[fd].fd = fd;
    epoll_event event{EPOLLIN, {}};
    event.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }
}

void Peer::on_readable(int fd) {
  char buffer[65536];
  const ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) return drop(fd);
  if (got < 0) return;
  PeerClient& client = clients_[fd];
  client.in.append(buffer, static_cast<std::size_t>(got));
  if (!client.open && !upgrade(client)) return;
  handle_frames(client);
}

bool Peer::upgrade(PeerClient& client) {
  const std::size_t end = client.in.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const std::size_t at = client.in.find("Sec-WebSocket-Key: ");
  const std::size_t eol = at == std::string::npos ? at : client.in.find("\r\n", at);
  if (at == std::string::npos || eol > end) {
    drop(client.fd);
    return false;
  }
  const std::string key = client.in.substr(at + 19, eol - at - 19);
  client.in.erase(0, end + 4);
  client.open = true;
  queue(client, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                    websocket_accept(key) + "\r\n\r\n");
  enter_room(client, 0);
  chat::RoomsFrame rooms;
  rooms.rooms.push_back("general");
  queue(client, framed(rooms));
  return true;
}

void Peer::handle_frames(PeerClient& client) {
  std::size_t at = 0;
  const int fd = client.fd;
  while (at < client.in.size()) {
    FrameView frame;
    std::size_t used = 0;
    const ParseStatus status =
        parse_frame(client.in.data() + at, client.in.size() - at, kClientFramesLenient, frame, used).status;
    if (status == ParseStatus::incomplete) break;
    if (status == ParseStatus::error || frame.opcode == Opcode::close) return drop(fd);
    at += used;
    if (frame.opcode == Opcode::text) handle_text(client, frame.payload);
  }
  client.in.erase(0, at);
}

void Peer::handle_text(PeerClient& client, std::string_view json) {
  using chat::Event;
  if (json.find(R"("action":"send_message")") != std::string_view::npos) {
    const std::string line = framed(chat::chat_line(
        "r", chat::ChatLine{0, 0, client.user, std::string(field_value(json, "message"))}, false));
    for (const int member : members_[client.room]) queue(clients_[member], line);
  } else if (json.find(R"("action":"login")") != std::string_view::npos) {
    client.user = std::string(field_value(json, "user"));
    queue(client, framed(chat::notice(Event::logged_in, "Welcome, " + client.user + "!", client.user, "")));
  } else if (json.find(R"("action":"create_room")") != std::string_view::npos) {
    const std::string room(field_value(json, "room"));
    room_index_.emplace(room, members_.size());
    members_.emplace_back();
    queue(client, framed(chat::notice(Event::room_created, "Room " + room + " created", "", room)));
  } else if (json.find(R"("action":"join_room")") != std::string_view::npos) {
    const std::string room(field_value(json, "room"));
    enter_room(client, room_index_.at(room));
    queue(client, framed(chat::notice(Event::joined, "You joined " + room, "", room)));
  }
}

void Peer::enter_room(PeerClient& client, std::size_t room) {
  if (client.open && client.slot < members_[client.room].size() && members_[client.room][client.slot] == client.fd) {
    auto& old_members = members_[client.room];
    old_members[client.slot] = old_members.back();  // swap-remove, fixing the moved member's slot
    clients_[old_members.back()].slot = client.slot;
    old_members.pop_back();
  }
  client.room = room;
  client.slot = members_[room].size();
  members_[room].push_back(client.fd);
}

void Peer::queue(PeerClient& client, std::string_view bytes) {
  client.out.append(bytes);
  if (!client.dirty) {
    client.dirty = true;
    dirty_.push_back(client.fd);
  }
}

void Peer::flush_dirty() {
  std::vector<int> pending;
  pending.swap(dirty_);
  for (const int fd : pending) {
    auto it = clients_.find(fd);
    if (it == clients_.end()) continue;
    PeerClient& client = it->second;
    client.dirty = false;
    const ssize_t sent = client.out.empty() ? 0 : ::send(fd, client.out.data(), client.out.size(), MSG_NOSIGNAL);
    if (sent > 0) client.out.erase(0, static_cast<std::size_t>(sent));
    if (client.want_out == client.out.empty()) {
      client.want_out = !client.out.empty();
      epoll_event event{EPOLLIN | (client.want_out ? EPOLLOUT : 0u), {}};
      event.data.fd = fd;
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
    }
  }
}

void Peer::drop(int fd) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  auto& members = members_[it->second.room];
  if (it->second.slot < members.size() && members[it->second.slot] == fd) {
    members[it->second.slot] = members.back();
    clients_[members.back()].slot = it->second.slot;
    members.pop_back();
  }
  ::close(fd);
  clients_.erase(fd);
}

}  // namespace

int run_broadcast_peer(int port, double lifetime_s) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  Peer peer;
  if (!peer.listen_on(port)) return 3;
  peer.serve(lifetime_s);
  return 0;
}

}  // namespace bench
