// Setting up libwebsockets 4.1.6 for the edge: its log, the mount that serves the web root, and
// the context: one vhost serving the web client over HTTP and the chat over WebSocket on one port
// (and TLS on that same port when configured), on the server's own libuv loop. The .cpp notes
// which lws behaviour each choice answers.
#pragma once

#include <memory>
#include <string>

#include "server/config.hpp"
#include "server/lws/handshake_guard.hpp"

struct lws_context;
struct lws_protocols;
struct lws_http_mount;
struct lws_context_creation_info;
struct uv_loop_s;

namespace chat {

// lws holds a header buffer for each connection from accept until its request is complete, from
// a pool of kHeaderBuffers; once they are all held, newcomers wait for one, and lws's own
// handshake timeout starts only once they have it. The HandshakeGuard keeps them from waiting:
// each network may have 64 unfinished at once (more are killed at once: honest clients finish
// theirs within a round trip, so even a classroom behind one NAT address has a few at a time;
// trusted proxies are exempt, they pass on only complete requests); every unfinished one is
// killed after 10 s, after 2 s once half the pool is held, and beyond three quarters of it the
// oldest are killed at once, so that a newcomer always finds a buffer.
constexpr int kHeaderBuffers = 1024;  // allocated when taken and freed when given back
HandshakeGuard::Limits handshake_limits(bool no_limits);

// lws's log lines go to ours (its notices only when ours shows debug), each also shown to the
// DescriptorReserve, for which it is the only sign of an accept that failed for want of descriptors.
void forward_lws_log();

// Makes `info` listen on `host` only (an IP literal, which must outlive `info`): for the chat's
// context and the metrics vhost alike (see the notes in the .cpp on IPv4 and lws 4.1.6).
void listen_only_on(lws_context_creation_info& info, const std::string& host);

// The mount serving config.web_root at "/"; lws asks `protocol` (by name) for its headers.
std::unique_ptr<lws_http_mount> make_web_root_mount(const ServerConfig& config, const char* protocol);

// The context listening on config.host:config.port, with `user` as its user pointer. nullptr, or
// a context without its "default" vhost, when it failed (LwsServer::start cleans up).
lws_context* create_lws_context(const ServerConfig& config, const lws_protocols* protocols,
                                const lws_http_mount* mount, uv_loop_s* loop, void* user);

}  // namespace chat
