// RedisConnection's host name lookup: hiredis 0.14 resolves a name with a blocking getaddrinfo,
// so a name (not an address) is looked up on libuv's thread pool first, and each retry tries the
// next address it gave.
#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "server/engine/redis/redis_connection.hpp"

namespace chat::redis {
namespace {

std::vector<std::string> addresses_of(const addrinfo* found) {
  std::vector<std::string> addresses;
  for (const addrinfo* entry = found; entry != nullptr && addresses.size() < 16; entry = entry->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (entry->ai_family == AF_INET) {
      uv_ip4_name(reinterpret_cast<const sockaddr_in*>(entry->ai_addr), text, sizeof text);
    } else if (entry->ai_family == AF_INET6) {
      uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(entry->ai_addr), text, sizeof text);
    }
    if (text[0] != '\0') addresses.push_back(text);
  }
  return addresses;
}

}  // namespace

// A host name lookup in flight. It outlives the connection if need be: the owner is cleared
// instead, and libuv's callback frees it.
struct RedisConnection::Lookup {
  uv_getaddrinfo_t request{};
  RedisConnection* owner = nullptr;
};

void RedisConnection::start_lookup() {
  auto* lookup = new Lookup;
  lookup->owner = this;
  lookup->request.data = lookup;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const int started = uv_getaddrinfo(loop_, &lookup->request, &RedisConnection::on_lookup, url_.host.c_str(), nullptr, &hints);
  if (started != 0) {
    delete lookup;
    link_lost("cannot resolve " + url_.host + ": " + uv_strerror(started));
    return;
  }
  lookup_ = lookup;
}

void RedisConnection::on_lookup(uv_getaddrinfo_s* request, int status, addrinfo* found) {
  std::unique_ptr<Lookup> lookup(static_cast<Lookup*>(request->data));
  std::vector<std::string> addresses = addresses_of(found);
  if (found != nullptr) uv_freeaddrinfo(found);
  RedisConnection* self = lookup->owner;
  if (self == nullptr) return;  // abandoned: timed out, or the connection is gone
  self->lookup_ = nullptr;
  if (status < 0 || addresses.empty()) {
    self->link_lost("cannot resolve " + self->url_.host + ": " + (status < 0 ? uv_strerror(status) : "no address"));
    return;
  }
  // Each retry tries the next address; a new lookup once all have been tried.
  self->addresses_ = std::move(addresses);
  self->next_address_ = 1;
  self->connect_to(self->addresses_.front());
}

void RedisConnection::abandon_lookup() {
  if (lookup_ == nullptr) return;
  lookup_->owner = nullptr;
  uv_cancel(reinterpret_cast<uv_req_t*>(&lookup_->request));  // its callback still runs, and frees it
  lookup_ = nullptr;
}

}  // namespace chat::redis
