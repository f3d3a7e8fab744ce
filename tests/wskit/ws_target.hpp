// Where a non-blocking client connects: an IPv4 address and port, the Host header's value and the
// request path, from "--host/--port" flags or from a ws:// URL.
#pragma once

#include <netinet/in.h>

#include <string>
#include <string_view>

namespace wskit {

struct WsTarget {
  sockaddr_in address{};
  std::string host_port;  // "127.0.0.1:8080", for the Host header
  std::string path = "/ws";
};

// host: an IPv4 literal. False with `error` set otherwise.
bool make_target(const std::string& host, int port, WsTarget& target, std::string& error);
// "ws://HOST:PORT/PATH" (HOST an IPv4 literal; no path: /ws). No wss://: the load is plain text.
bool parse_ws_url(std::string_view url, WsTarget& target, std::string& error);

}  // namespace wskit
