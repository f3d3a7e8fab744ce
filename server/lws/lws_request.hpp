// Small helpers over one lws connection's request and close: its headers, its peer's address, a
// short HTTP answer, the close reason lws sends. Thin wrappers of lws 4.1.6 calls that take C
// buffers; no policy here.
#pragma once

#include <string>
#include <string_view>

#include <libwebsockets.h>

namespace chat {

// A request header ("" when absent); repeated headers come back joined with commas.
std::string header(lws* wsi, lws_token_indexes token);
// A header lws has no token for; `name` is lower case and ends with ':' (how lws stores them).
std::string custom_header(lws* wsi, const char* name);
// The peer's address in canonical form: lws listens dual-stack, so IPv4 peers come as
// "::ffff:a.b.c.d", which is plain IPv4 here. "" when lws cannot tell.
std::string peer_address(lws* wsi);
// The close code and reason lws sends when the connection's callback returns -1.
void set_close_reason(lws* wsi, lws_close_status status, std::string_view reason);
// An HTTP answer with a short text body and at most one extra header (`name` lower case, ending
// in ':'), as lws_return_http_status writes it but without its HTML. Non-zero if it failed.
int answer_status(lws* wsi, const char* status_line, const char* body, const char* name, const char* value);

}  // namespace chat
