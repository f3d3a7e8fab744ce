// The HTTP side of the lws edge: reads each request's facts for HttpRequestGuard and WebRoot,
// writes their refusals, and ends every connection after one answer. Decides nothing itself.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/config.hpp"
#include "server/http_request_guard.hpp"
#include "server/lws/health_endpoints.hpp"
#include "server/web_root.hpp"

struct lws;
struct lws_token_limits;
struct lws_http_mount;

namespace chat {

class HttpEdge {
 public:
  // Answers computed for a path (health endpoints) rather than read from the web root; nullopt: not ours.
  using Answerer = std::function<std::optional<HttpAnswer>(std::string_view path)>;

  explicit HttpEdge(const ServerConfig& config);
  void set_answerer(Answerer answerer) { answerer_ = std::move(answerer); }

  // For lws_context_creation_info: the header pool's size and the per-field cuts the guard checks.
  static int header_buffer_bytes();
  static const lws_token_limits* token_limits();

  // LWS_CALLBACK_FILTER_HTTP_CONNECTION (a plain request, before lws opens a file): 0 to let lws
  // serve it from `mount`, non-zero when answered here (refusals, HEAD); lws then closes.
  int filter_request(lws* wsi, std::string_view path, const lws_http_mount* mount);
  // LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, before the WebSocket checks: 0 to go on, -1 when refused.
  int filter_upgrade(lws* wsi);
  // CONNECT: lws hands the connection over raw (LWS_CALLBACK_RAW_ADOPT). Answered 405; -1 closes.
  int refuse_connect(lws* wsi);
  // LWS_CALLBACK_ADD_HEADERS of a file answer: "Connection: close" (see the .cpp) and its caching
  // (site_caching.hpp, and Vary when a gzip sibling may be sent instead).
  int add_headers(lws* wsi, void* in);

 private:
  HttpRequestGuard guard_;
  WebRoot web_root_;
  Answerer answerer_;
};

}  // namespace chat
