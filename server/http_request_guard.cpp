// The order matters only for which of several faults is named: sizes first (the other facts may
// have been cut), then the method, the body, the Host, the upgrade.
#include "server/http_request_guard.hpp"

namespace chat {
namespace {

bool is_zero(const std::string& text) { return !text.empty() && text.find_first_not_of('0') == std::string::npos; }

HttpRefusal refusal(int status, const char* reason, const char* message) { return {status, reason, message, false}; }

}  // namespace

std::optional<HttpRefusal> HttpRequestGuard::check(const HttpRequestFacts& request) const {
  if (request.target_bytes >= kMaxTargetBytes) {
    return refusal(414, "URI Too Long", "request target over 4095 bytes");
  }
  if (request.field_at_limit) {
    return refusal(431, "Request Header Fields Too Large", "a header field over 8191 bytes");
  }
  // A WebSocket handshake is a GET (RFC 6455 4.1); HEAD is for pages only.
  if ((request.method != "GET" && request.method != "HEAD") || (!request.upgrade.empty() && request.method != "GET")) {
    HttpRefusal refused = refusal(405, "Method Not Allowed", "only GET and HEAD are served");
    refused.allow_header = true;
    return refused;
  }
  // A body on GET would be read by some hop and not by another: the classic request smuggling.
  // lws 4.1.6 does not decode chunked requests, so it would take the body for the next request.
  if (request.has_transfer_encoding || (request.has_content_length && !is_zero(request.content_length))) {
    return refusal(400, "Bad Request", "GET and HEAD requests take no body");
  }
  if (!request.has_host) return refusal(400, "Bad Request", "the Host header is missing");
  if (!hosts_.accepts(request.host)) {
    return refusal(421, "Misdirected Request", "this server does not answer to that Host name");
  }
  // HTTP/2 is not offered (docs/PROTOCOL.md): lws would switch to it on "Upgrade: h2c".
  if (!request.upgrade.empty() && request.upgrade != "websocket") {
    return refusal(400, "Bad Request", "only the WebSocket upgrade is offered");
  }
  return std::nullopt;
}

}  // namespace chat
