// Notes on libwebsockets 4.1.6 that shape this file:
// - lws_create_vhost on a running context (with the foreign libuv loop) adds the vhost's listening
//   socket to the loop; each vhost has its own protocol table, so the chat callback never sees
//   these connections (nor the handshake guard, which serves the public port).
// - One answer per connection, as on the main port (http_edge.cpp's notes): the answer is written
//   whole and the connection closed; if the kernel took only part of it, lws keeps the rest and
//   reports HTTP_WRITEABLE once it is flushed, and the connection is closed then.
#include "server/lws/metrics_listener.hpp"

#include <uv.h>

#include <libwebsockets.h>

#include "server/log.hpp"
#include "server/lws/lws_context_setup.hpp"

namespace chat {
namespace {

int metrics_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  return MetricsListener::callback(wsi, static_cast<int>(reason), user, in, len);
}

const lws_protocols kMetricsProtocols[] = {
    {"metrics", metrics_callback, 0, 0, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

std::string http_answer(const std::string& status, const std::string& type, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\ncontent-type: " + type + "\r\ncontent-length: " + std::to_string(body.size()) +
         "\r\ncache-control: no-store\r\nconnection: close\r\n\r\n" + body;
}

}  // namespace

bool MetricsListener::start(lws_context* context, const std::string& host, int port) {
  lws_context_creation_info info{};
  info.vhost_name = "metrics";
  info.port = port;
  listen_only_on(info, host);
  info.protocols = kMetricsProtocols;
  info.user = this;
  lws_vhost* vhost = lws_create_vhost(context, &info);
  if (!vhost) {
    log_line(LogLevel::error, "cannot listen for metrics on %s:%d", host.c_str(), port);
    return false;
  }
  port_ = lws_get_vhost_listen_port(vhost);
  return true;
}

int MetricsListener::callback(lws* wsi, int reason_code, void* user, void* in, std::size_t len) {
  const auto reason = static_cast<lws_callback_reasons>(reason_code);
  switch (reason) {
    case LWS_CALLBACK_HTTP: {
      auto* listener = static_cast<MetricsListener*>(lws_get_vhost_user(lws_get_vhost(wsi)));
      return listener->answer(wsi, std::string(static_cast<const char*>(in), len));
    }
    case LWS_CALLBACK_HTTP_WRITEABLE:
      return -1;  // the rest of the answer is flushed: done
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      return -1;  // no WebSocket and no h2c here: the answer is written as HTTP/1.1 bytes
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

int MetricsListener::answer(lws* wsi, const std::string& path) {
  const bool get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
  std::string text(LWS_PRE, '\0');
  if (path != "/metrics") {
    text += http_answer("404 Not Found", "text/plain; charset=utf-8", "only /metrics here\n");
  } else if (!get) {
    text += http_answer("405 Method Not Allowed", "text/plain; charset=utf-8", "GET only\n");
  } else {
    text += http_answer("200 OK", "text/plain; version=0.0.4; charset=utf-8", renderer_ ? renderer_() : "");
  }
  const std::size_t size = text.size() - LWS_PRE;
  if (lws_write(wsi, reinterpret_cast<unsigned char*>(text.data()) + LWS_PRE, size, LWS_WRITE_HTTP) < 0) return -1;
  if (!lws_partial_buffered(wsi)) return -1;
  lws_callback_on_writable(wsi);
  return 0;
}

}  // namespace chat
