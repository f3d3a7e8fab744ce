// The /metrics listener: a second lws vhost on the server's context, so on the same loop with no
// thread of its own, bound to the operator's --metrics-listen address and never to the public
// port. It answers GET /metrics with the page the renderer makes and 404 to anything else.
#pragma once

#include <functional>
#include <string>

struct lws;
struct lws_context;

namespace chat {

class MetricsListener {
 public:
  using Renderer = std::function<std::string()>;

  void set_renderer(Renderer renderer) { renderer_ = std::move(renderer); }
  // Creates the vhost on host:port (0: the kernel picks). False, after logging why, if it cannot.
  bool start(lws_context* context, const std::string& host, int port);
  int port() const { return port_; }

  // The vhost's protocol callback; public only so the C callback table can name it.
  static int callback(lws* wsi, int reason, void* user, void* in, std::size_t len);

 private:
  int answer(lws* wsi, const std::string& path);

  Renderer renderer_;
  int port_ = -1;
};

}  // namespace chat
