// Notes on libwebsockets 4.1.6 that shape the context:
// - TLS (--tls-cert/--tls-key) is on the same vhost and port. LWS_WRITE_RAW goes through lws's TLS
//   layer like any write (lws_issue_raw -> lws_ssl_capable_write -> SSL_write). This lws is built
//   with HTTP/2 and by default offers ALPN "h2,http/1.1": a browser would then carry the page, and
//   could carry the WebSocket (RFC 8441), in h2 streams, where RAW frame bytes corrupt the stream.
//   ALPN is pinned to http/1.1. On the plain port lws would switch to HTTP/2 on "Upgrade: h2c";
//   http_edge refuses that upgrade, with every other HTTP rule (http_edge.cpp's notes).
// - An IP literal as the interface: lws 4.1.6 built with IPv6 parses an IPv4 one into the wrong
//   field of its IPv6 address and so listened on [::], every address: an IPv4 one must turn IPv6 off.
#include "server/lws/lws_context_setup.hpp"

// uv.h first: libwebsockets.h declares its libuv helpers only when uv is known.
#include <uv.h>

#include <libwebsockets.h>

#include <string>

#include "server/log.hpp"
#include "server/lws/descriptor_reserve.hpp"
#include "server/lws/http_edge.hpp"
#include "server/lws/precompressed_files.hpp"

namespace chat {

namespace {

const lws_protocol_vhost_options kWasmMime{nullptr, nullptr, ".wasm", "application/wasm"};
const lws_protocol_vhost_options kFontMime{&kWasmMime, nullptr, ".ttf", "font/ttf"};
const lws_protocol_vhost_options kJsMime{&kFontMime, nullptr, ".js", "text/javascript"};

// No lws validity (idle) timer at all: liveness is the sweep's (sweep_rotation.hpp). Without a
// policy of its own the vhost takes the context's default (ping after 300 s, hang up after 310 s),
// which arms one timer per connection in lws's sorted list: inserting it walks the list,
// O(connections) per connection established (14 % of the CPU while 10 000 clients connect). A
// zero hang-up time disables it.
const lws_retry_bo_t kNoValidityPolicy{};

void log_lws_line(int level, const char* line) {
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  DescriptorReserve::hear_lws_log(text);
  log_line(level == LLL_ERR ? LogLevel::error : level == LLL_WARN ? LogLevel::warn : LogLevel::debug,
           "lws: %s", text.c_str());
}

}  // namespace

HandshakeGuard::Limits handshake_limits(bool no_limits) {
  HandshakeGuard::Limits limits;
  limits.per_network = no_limits ? 0 : 64;
  limits.pressure_at = kHeaderBuffers / 2;
  limits.keep_at_most = kHeaderBuffers * 3 / 4;
  return limits;
}

void forward_lws_log() {
  lws_set_log_level(log_enabled(LogLevel::debug) ? (LLL_ERR | LLL_WARN | LLL_NOTICE) : (LLL_ERR | LLL_WARN),
                    log_lws_line);
}

void listen_only_on(lws_context_creation_info& info, const std::string& host) {
  info.iface = host.c_str();
  if (host.find(':') == std::string::npos) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
}

std::unique_ptr<lws_http_mount> make_web_root_mount(const ServerConfig& config, const char* protocol) {
  auto mount = std::make_unique<lws_http_mount>();
  mount->mountpoint = "/";
  mount->mountpoint_len = 1;
  mount->origin = config.web_root.c_str();
  mount->def = "index.html";
  mount->origin_protocol = LWSMPRO_FILE;
  mount->extra_mimetypes = &kJsMime;
  mount->protocol = protocol;  // so that lws asks it for headers (ADD_HEADERS)
  return mount;
}

lws_context* create_lws_context(const ServerConfig& config, const lws_protocols* protocols,
                                const lws_http_mount* mount, uv_loop_s* loop, void* user) {
  lws_context_creation_info info{};
  info.port = config.port;
  listen_only_on(info, config.host);
  info.protocols = protocols;
  info.mounts = mount;
  info.user = user;
  info.timeout_secs = 10;  // handshakes and HTTP transactions that stall are dropped
  // Headers are held only during a handshake; lws's default pool of a few lets a burst of
  // thousands of connections queue for one.
  info.max_http_header_pool = kHeaderBuffers;
  info.max_http_header_data = static_cast<unsigned short>(HttpEdge::header_buffer_bytes());
  info.token_limits = HttpEdge::token_limits();
  // libuv (epoll) instead of lws's default poll(), which costs O(all connections) per wakeup.
  void* foreign_loops[] = {loop};
  info.foreign_loops = foreign_loops;
  info.options |= LWS_SERVER_OPTION_LIBUV;
  info.retry_and_idle_policy = &kNoValidityPolicy;
  info.fd_limit_per_thread = fd_limit();
  info.alpn = "http/1.1";  // never h2: see the notes at the top of this file
  if (!config.tls_cert_file.empty()) {
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.ssl_cert_filepath = config.tls_cert_file.c_str();
    info.ssl_private_key_filepath = config.tls_key_file.c_str();
  }
  // No LWS_SERVER_OPTION_VALIDATE_UTF8: lws would close the connection on invalid UTF-8, where
  // the protocol answers with an invalid_utf8 refusal and keeps the connection.
  lws_context* context = lws_create_context(&info);
  if (context) serve_precompressed_files(context);  // FILE.gz to clients that accept gzip
  return context;
}

}  // namespace chat
