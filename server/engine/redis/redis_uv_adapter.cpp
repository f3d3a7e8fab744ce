// The libuv adapter for hiredis (after hiredis's own adapters/libuv.h, BSD licence), with the
// error status passed on: on an error hiredis is asked to read/write what it was waiting for, and
// finds the socket error itself (a failed connect, a reset) instead of waiting forever.
#include "server/engine/redis/redis_uv_adapter.hpp"

#include <uv.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace chat::redis {
namespace {

struct UvEvents {
  redisAsyncContext* context = nullptr;
  uv_poll_t handle{};
  int events = 0;
};

void on_poll(uv_poll_t* handle, int status, int events) {
  auto* p = static_cast<UvEvents*>(handle->data);
  const int ready = status != 0 ? p->events : events;
  if (p->context != nullptr && (ready & UV_READABLE)) redisAsyncHandleRead(p->context);
  if (p->context != nullptr && (ready & UV_WRITABLE)) redisAsyncHandleWrite(p->context);
}

void update(UvEvents* p) {
  if (p->events != 0) {
    uv_poll_start(&p->handle, p->events, on_poll);
  } else {
    uv_poll_stop(&p->handle);
  }
}

void add_read(void* data) {
  auto* p = static_cast<UvEvents*>(data);
  p->events |= UV_READABLE;
  update(p);
}

void del_read(void* data) {
  auto* p = static_cast<UvEvents*>(data);
  p->events &= ~UV_READABLE;
  update(p);
}

void add_write(void* data) {
  auto* p = static_cast<UvEvents*>(data);
  p->events |= UV_WRITABLE;
  update(p);
}

void del_write(void* data) {
  auto* p = static_cast<UvEvents*>(data);
  p->events &= ~UV_WRITABLE;
  update(p);
}

// hiredis is freeing the context: the poll handle outlives it until libuv's close callback.
void cleanup(void* data) {
  auto* p = static_cast<UvEvents*>(data);
  p->context = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&p->handle),
           [](uv_handle_t* handle) { delete static_cast<UvEvents*>(handle->data); });
}

}  // namespace

bool attach_to_uv_loop(redisAsyncContext* context, uv_loop_s* loop) {
  if (context->ev.data != nullptr) return false;
  auto* p = new UvEvents;
  if (uv_poll_init(loop, &p->handle, context->c.fd) != 0) {
    delete p;
    return false;
  }
  p->handle.data = p;
  p->context = context;
  context->ev.addRead = add_read;
  context->ev.delRead = del_read;
  context->ev.addWrite = add_write;
  context->ev.delWrite = del_write;
  context->ev.cleanup = cleanup;
  context->ev.data = p;
  return true;
}

}  // namespace chat::redis
