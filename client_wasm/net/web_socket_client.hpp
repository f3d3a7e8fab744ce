// The browser WebSocket edge (emscripten/websocket.h): opens one socket at a time, passes text
// frames and open/close events to its handlers, sends text. No protocol or retry logic here.
#pragma once

#include <emscripten/websocket.h>

#include <functional>
#include <string>
#include <string_view>

namespace chat::client::net {

class WebSocketClient {
 public:
  struct Handlers {
    std::function<void()> on_open;
    std::function<void(std::string_view)> on_text;
    // The close code (1006: died without a close frame); also called when opening failed.
    std::function<void(int)> on_close;
  };

  explicit WebSocketClient(Handlers handlers);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  void open(const std::string& url);  // drops any previous socket first
  bool send(const std::string& text);

 private:
  static EM_BOOL handle_open(int type, const EmscriptenWebSocketOpenEvent* event, void* self);
  static EM_BOOL handle_message(int type, const EmscriptenWebSocketMessageEvent* event, void* self);
  static EM_BOOL handle_close(int type, const EmscriptenWebSocketCloseEvent* event, void* self);
  void drop_socket();

  Handlers handlers_;
  EMSCRIPTEN_WEBSOCKET_T socket_ = 0;
};

// ws://HOST:PORT/ws for the page's own host, wss:// when the page came over https.
std::string page_server_url();

}  // namespace chat::client::net
