// attach_to_uv_loop: hiredis's event hooks on a libuv loop. Debian's hiredis 0.14.1 ships
// <hiredis/adapters/libuv.h>, but its poll callback ignores libuv's error status: a refused
// connect or a reset link (POLLERR: libuv stops the poll and reports UV_EBADF) is then never
// handed to hiredis and the link hangs. This is that adapter with hiredis 1.x's fix.
#pragma once

struct redisAsyncContext;
struct uv_loop_s;

namespace chat::redis {

bool attach_to_uv_loop(redisAsyncContext* context, uv_loop_s* loop);

}  // namespace chat::redis
