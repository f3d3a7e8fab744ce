// Browser WebSocket through Emscripten's websocket API.
#include "net/web_socket_client.hpp"

#include <emscripten/emscripten.h>

#include <utility>

namespace chat::client::net {
namespace {

// Writes the URL into buf (NUL-terminated, cut to size) and returns its full length in bytes.
EM_JS(int, js_page_server_url, (char* buf, int size), {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  stringToUTF8(url, buf, size);
  return lengthBytesUTF8(url);
});

}  // namespace

WebSocketClient::WebSocketClient(Handlers handlers) : handlers_(std::move(handlers)) {}

WebSocketClient::~WebSocketClient() { drop_socket(); }

void WebSocketClient::open(const std::string& url) {
  drop_socket();
  EmscriptenWebSocketCreateAttributes attributes;
  emscripten_websocket_init_create_attributes(&attributes);
  attributes.url = url.c_str();
  attributes.protocols = nullptr;  // the server needs no subprotocol
  const EMSCRIPTEN_WEBSOCKET_T socket = emscripten_websocket_new(&attributes);
  if (socket <= 0) {
    handlers_.on_close(1006);  // counts as a failed attempt; the view-model schedules the retry
    return;
  }
  socket_ = socket;
  emscripten_websocket_set_onopen_callback(socket_, this, handle_open);
  emscripten_websocket_set_onmessage_callback(socket_, this, handle_message);
  emscripten_websocket_set_onclose_callback(socket_, this, handle_close);
}

bool WebSocketClient::send(const std::string& text) {
  if (socket_ <= 0) return false;
  return emscripten_websocket_send_utf8_text(socket_, text.c_str()) == EMSCRIPTEN_RESULT_SUCCESS;
}

void WebSocketClient::drop_socket() {
  if (socket_ <= 0) return;
  emscripten_websocket_close(socket_, 1000, "");
  emscripten_websocket_delete(socket_);  // also unregisters the callbacks
  socket_ = 0;
}

EM_BOOL WebSocketClient::handle_open(int, const EmscriptenWebSocketOpenEvent* event, void* self) {
  auto* client = static_cast<WebSocketClient*>(self);
  if (event->socket == client->socket_) client->handlers_.on_open();
  return EM_TRUE;
}

EM_BOOL WebSocketClient::handle_message(int, const EmscriptenWebSocketMessageEvent* event,
                                        void* self) {
  auto* client = static_cast<WebSocketClient*>(self);
  if (event->socket != client->socket_ || !event->isText || event->numBytes == 0) return EM_TRUE;
  // For text, numBytes counts the NUL terminator Emscripten appends.
  client->handlers_.on_text(std::string_view(reinterpret_cast<const char*>(event->data),
                                             event->numBytes - 1));
  return EM_TRUE;
}

EM_BOOL WebSocketClient::handle_close(int, const EmscriptenWebSocketCloseEvent* event, void* self) {
  auto* client = static_cast<WebSocketClient*>(self);
  if (event->socket != client->socket_) return EM_TRUE;
  emscripten_websocket_delete(client->socket_);
  client->socket_ = 0;
  client->handlers_.on_close(event->code);
  return EM_TRUE;
}

std::string page_server_url() {
  char buf[512];
  const int length = js_page_server_url(buf, sizeof buf);
  if (length < static_cast<int>(sizeof buf)) return buf;
  std::string url(static_cast<std::size_t>(length) + 1, '\0');
  js_page_server_url(url.data(), static_cast<int>(url.size()));
  url.resize(static_cast<std::size_t>(length));
  return url;
}

}  // namespace chat::client::net
