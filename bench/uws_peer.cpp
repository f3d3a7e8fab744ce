// uws_chat_peer: the seed protocol (version 1) on uWebSockets, for side-by-side figures only
// (bench/uws.sh, docs/BENCHMARKS.md). It does what chat_server does for a version-1 client short
// of storing: the room list on connect, unique names, login before anything else, rooms, and a
// chat line to every member of the sender's room, the sender included. Frames are read and written
// with our own codec, so JSON costs the same on both sides and the difference is the server
// around it (and the store, which this peer does not have). Built only when CHAT_UWS_DIR and
// CHAT_USOCKETS_DIR name checkouts of uWebSockets and uSockets (never committed here).
//
// Usage: uws_chat_peer [--port N] (0: any free port); every other flag is ignored, so that the
// benchmark scripts start it as they start chat_server. Prints "listening on http://127.0.0.1:P/".
#include <App.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

#include "shared/codec.hpp"

namespace {

struct Member {
  std::string user;  // empty until login
  std::string room = "general";
};

using Socket = uWS::WebSocket<false, true, Member>;

class ChatPeer {
 public:
  explicit ChatPeer(uWS::App& app) : app_(app) { rooms_.push_back("general"); }

  void on_open(Socket* ws) {
    ws->subscribe("general");
    ws->send(rooms_frame(), uWS::OpCode::TEXT);
  }

  void on_close(Socket* ws) {
    if (!ws->getUserData()->user.empty()) users_.erase(ws->getUserData()->user);
  }

  void on_text(Socket* ws, std::string_view text) {
    auto decoded = chat::decode_client_frame(text, limits_);
    if (!decoded.ok()) return refuse(ws, decoded.error());
    Member& member = *ws->getUserData();
    const chat::ClientFrame& frame = decoded.value();
    if (const auto* login = std::get_if<chat::Login>(&frame)) return log_in(ws, member, login->user);
    if (member.user.empty()) return refuse(ws, chat::Error{chat::ErrorCode::not_logged_in, "log in first"});
    if (const auto* line = std::get_if<chat::SendMessage>(&frame)) {
      const chat::ChatLine chat_line{0, 0, member.user, line->message};
      app_.publish(member.room, chat::encode(chat::ServerFrame{chat::chat_line(member.room, chat_line, false)}),
                   uWS::OpCode::TEXT);
    } else if (const auto* create = std::get_if<chat::CreateRoom>(&frame)) {
      if (!known_rooms_.insert(create->room).second) return refuse(ws, chat::Error{chat::ErrorCode::room_exists, create->room});
      rooms_.push_back(create->room);
      rooms_frame_.clear();
      reply(ws, chat::notice(chat::Event::room_created, "Room " + create->room + " created", "", create->room));
    } else if (const auto* join = std::get_if<chat::JoinRoom>(&frame)) {
      if (known_rooms_.count(join->room) == 0) return refuse(ws, chat::Error{chat::ErrorCode::no_such_room, join->room});
      ws->unsubscribe(member.room);
      member.room = join->room;
      ws->subscribe(member.room);
      reply(ws, chat::notice(chat::Event::joined, "You joined " + join->room, "", join->room));
    }
  }

 private:
  void log_in(Socket* ws, Member& member, const std::string& user) {
    if (!member.user.empty()) return refuse(ws, chat::Error{chat::ErrorCode::not_allowed, member.user});
    if (!users_.insert(user).second) return refuse(ws, chat::Error{chat::ErrorCode::name_taken, user});
    member.user = user;
    reply(ws, chat::notice(chat::Event::logged_in, "Welcome, " + user + "!", user, ""));
  }

  void reply(Socket* ws, chat::MessageFrame frame) { ws->send(chat::encode(chat::ServerFrame{std::move(frame)}), uWS::OpCode::TEXT); }
  void refuse(Socket* ws, const chat::Error& error) { reply(ws, chat::refusal(error)); }

  // Encoded once per change of the list, as chat_server does.
  const std::string& rooms_frame() {
    if (rooms_frame_.empty()) rooms_frame_ = chat::encode(chat::ServerFrame{chat::RoomsFrame{rooms_, {}, {}}});
    return rooms_frame_;
  }

  uWS::App& app_;
  chat::Limits limits_;
  std::unordered_set<std::string> users_;
  std::unordered_set<std::string> known_rooms_{"general"};
  std::vector<std::string> rooms_;
  std::string rooms_frame_;
};

int port_argument(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0) return std::atoi(argv[i + 1]);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  uWS::App app;
  ChatPeer peer(app);
  app.ws<Member>("/*", {
                           .compression = uWS::DISABLED,
                           .maxPayloadLength = 64 * 1024,
                           .idleTimeout = 0,  // chat_server's liveness check is its own, off the hot path too
                           .maxBackpressure = 1024 * 1024,
                           .sendPingsAutomatically = false,
                           .open = [&peer](Socket* ws) { peer.on_open(ws); },
                           .message = [&peer](Socket* ws, std::string_view text, uWS::OpCode) { peer.on_text(ws, text); },
                           .close = [&peer](Socket* ws, int, std::string_view) { peer.on_close(ws); },
                       })
      .listen("127.0.0.1", port_argument(argc, argv), [](us_listen_socket_t* listening) {
        if (!listening) {
          std::fprintf(stderr, "uws_chat_peer: cannot listen\n");
          std::exit(1);
        }
        const int port = us_socket_local_port(0, reinterpret_cast<us_socket_t*>(listening));
        std::printf("listening on http://127.0.0.1:%d/\n", port);
        std::fflush(stdout);
      })
      .run();
}
