// What LwsServer checks that lws 4.1.6 does not: the WebSocket upgrade (Origin, the connection cap,
// Sec-WebSocket-Version and -Key) and the peer's close frames, and the close frame lws leaves out
// when it fails a connection for a framing error. Notes on lws that shape them:
// - The Origin check is at LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, not FILTER_PROTOCOL_CONNECTION: in
//   4.1.6 a non-zero return from FILTER drops the TCP connection with no HTTP answer at all, while
//   CONFIRM_UPGRADE may answer 403 itself and lws then completes the HTTP transaction.
// - lws checks neither Sec-WebSocket-Version nor -Key, echoes close frames with codes of 5000 and
//   up or reasons that are not UTF-8, and ends a control frame over 125 bytes or a 64-bit length
//   with bit 63 set with no close frame at all. The edge checks the handshake at CONFIRM_UPGRADE,
//   close frames at WS_PEER_INITIATED_CLOSE (non-zero skips the echo), and writes the missing 1002
//   at WS_SERVER_DROP_PROTOCOL, the last callback before lws shuts the socket down (CLOSED is after).
#include <libwebsockets.h>

#include <strings.h>

#include <string>

#include "server/log.hpp"
#include "server/lws/connection.hpp"
#include "server/lws/lws_request.hpp"
#include "server/lws/lws_server.hpp"
#include "server/lws/socket_options.hpp"
#include "server/socket_probes.hpp"
#include "server/lws/websocket_frame.hpp"
#include "server/lws/websocket_rules.hpp"

namespace chat {

// Browsers send Origin on every WebSocket handshake and let any page open one to any host: this
// check is what stops another site's page from chatting with its visitors' identity.
int LwsServer::on_confirm_upgrade(lws* wsi, const char* upgrade) {
  request_complete(wsi);  // answered now, or upgraded (then ESTABLISHED ends the guarding)
  if (!upgrade || strcasecmp(upgrade, "websocket") != 0) return 0;
  if (const int refused = refuse_malformed_upgrade(wsi)) return refused;
  const std::string peer = peer_address(wsi);
  const std::string client = policy_.client_address(peer, header(wsi, WSI_TOKEN_X_FORWARDED_FOR));
  if (!counter_.admits(network_key(client))) {
    log_line(LogLevel::warn, "refused a WebSocket from %s: connection cap reached (%zu open)", client.c_str(),
             counter_.total());
    return lws_return_http_status(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, "too many connections") ? -1 : 1;
  }
  const std::string scheme =
      policy_.request_scheme(peer, lws_is_ssl(wsi) != 0, custom_header(wsi, "x-forwarded-proto:"));
  const std::string origin = header(wsi, WSI_TOKEN_ORIGIN);
  const std::string host = header(wsi, WSI_TOKEN_HOST);
  if (policy_.accepts_origin(origin, host, scheme)) return 0;
  log_line(LogLevel::info, "refused a WebSocket from %s: origin %.200s is not %s://%.200s nor allowed", peer.c_str(),
           origin.c_str(), scheme.c_str(), host.c_str());
  // 1: we answered; lws finishes the HTTP transaction. -1 if even the answer failed: hang up.
  return lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, "origin not allowed") ? -1 : 1;
}

// lws 4.1.6 upgrades whatever Sec-WebSocket-Version and Sec-WebSocket-Key say: RFC 6455 4.2.2
// wants 426 naming the version we speak, and 400 for a key that is not base64 of 16 bytes.
// 1 when answered (lws completes the HTTP transaction), -1 if even the answer failed, 0: valid.
int LwsServer::refuse_malformed_upgrade(lws* wsi) {
  const auto verdict = check_upgrade(header(wsi, WSI_TOKEN_VERSION), header(wsi, WSI_TOKEN_KEY));
  if (verdict == UpgradeVerdict::accept) return 0;
  const bool version = verdict == UpgradeVerdict::unsupported_version;
  log_line(LogLevel::info, "refused a WebSocket from %s: %s", peer_address(wsi).c_str(),
           version ? "Sec-WebSocket-Version is not 13" : "malformed Sec-WebSocket-Key");
  if (version) {
    return answer_status(wsi, "HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13 only\n",
                         "sec-websocket-version:", "13")
               ? -1
               : 1;
  }
  return answer_status(wsi, "HTTP/1.1 400 Bad Request", "malformed Sec-WebSocket-Key\n", nullptr, nullptr) ? -1 : 1;
}

// A peer's close frame, before lws echoes it (return 0). One RFC 6455 forbids (a 1-byte payload,
// a code no endpoint may send, a reason that is not UTF-8) fails the connection instead: our own
// close frame, then -1, on which lws closes TCP without echoing.
int LwsServer::on_peer_close(lws* wsi, Connection& connection, const void* in, std::size_t len) {
  connection.close_handled = true;
  const int code = close_frame_error(std::string_view(static_cast<const char*>(in), len));
  if (code == 0) return 0;
  log_line(LogLevel::info, "session %llu: malformed close frame, failing with %d",
           static_cast<unsigned long long>(connection.id), code);
  edge_metrics_.closed_with(code);
  write_buffer_.assign(LWS_PRE, '\0');
  append_close_frame(write_buffer_, static_cast<std::uint16_t>(code),
                     code == 1007 ? "close reason is not UTF-8" : "invalid close frame");
  lws_write(wsi, reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE, write_buffer_.size() - LWS_PRE,
            LWS_WRITE_RAW);
  return -1;
}

// lws gives up on a connection. It fails a few framing errors (a control frame over 125 bytes, a
// 64-bit length with its top bit set) by closing TCP with no close frame and no reason: when the
// connection is still ours to close (no close decided, sent or received, no reason set by lws,
// the peer still there), the 1002 that RFC 6455 7.1.7 asks for is sent here, before lws shuts the
// socket down.
void LwsServer::on_protocol_dropped(lws* wsi, Connection& connection) {
  if (connection.id == 0 || connection.closing || connection.close_handled || lws_get_close_length(wsi) > 0) return;
  connection.close_handled = true;
  if (peer_gone(lws_get_socket_fd(wsi))) return;
  log_line(LogLevel::info, "session %llu: framing error, closing with 1002", static_cast<unsigned long long>(connection.id));
  edge_metrics_.closed_with(LWS_CLOSE_STATUS_PROTOCOL_ERR);
  write_buffer_.assign(LWS_PRE, '\0');
  append_close_frame(write_buffer_, LWS_CLOSE_STATUS_PROTOCOL_ERR, "protocol error");
  lws_write(wsi, reinterpret_cast<unsigned char*>(write_buffer_.data()) + LWS_PRE, write_buffer_.size() - LWS_PRE,
            LWS_WRITE_RAW);
}

}  // namespace chat
