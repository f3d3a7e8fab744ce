#include "server/lws/lws_request.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace chat {

std::string header(lws* wsi, lws_token_indexes token) {
  const int length = lws_hdr_total_length(wsi, token);
  if (length <= 0) return {};
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  if (lws_hdr_copy(wsi, value.data(), length + 1, token) < 0) return {};
  value.resize(static_cast<std::size_t>(length));
  return value;
}

std::string custom_header(lws* wsi, const char* name) {
  const int name_length = static_cast<int>(std::strlen(name));
  const int length = lws_hdr_custom_length(wsi, name, name_length);
  if (length <= 0) return {};
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  if (lws_hdr_custom_copy(wsi, value.data(), length + 1, name, name_length) < 0) return {};
  value.resize(static_cast<std::size_t>(length));
  return value;
}

// Straight from the socket: lws_get_peer_simple formats with inet_ntop, which canonical_ip would
// then parse and format again (~5 us per connection, in the connect burst's hot path).
std::string peer_address(lws* wsi) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  const int fd = lws_get_socket_fd(wsi);
  if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return "";
  const unsigned char* v4 = nullptr;
  if (address.ss_family == AF_INET) {
    v4 = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(&address)->sin_addr);
  } else if (address.ss_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr;
    if (!IN6_IS_ADDR_V4MAPPED(&v6)) {
      char text[INET6_ADDRSTRLEN] = "";
      return inet_ntop(AF_INET6, &v6, text, sizeof text) ? text : "";
    }
    v4 = v6.s6_addr + 12;
  } else {
    return "";
  }
  std::string text;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) text += '.';
    text += std::to_string(v4[i]);
  }
  return text;
}

// lws_close_reason wants a writable buffer; it only copies from it.
void set_close_reason(lws* wsi, lws_close_status status, std::string_view reason) {
  std::string copy(reason);
  lws_close_reason(wsi, status, reinterpret_cast<unsigned char*>(copy.data()), copy.size());
}

// The status line is written whole: lws 4.1.6 knows reason phrases only for 400-417 and 5xx
// ("HTTP/1.1 426 " otherwise).
int answer_status(lws* wsi, const char* status_line, const char* body, const char* name, const char* value) {
  unsigned char buffer[LWS_PRE + 1024];
  unsigned char* start = buffer + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = buffer + sizeof buffer - 256;  // room for the body
  const std::string length = std::to_string(std::strlen(body));
  if (lws_add_http_header_by_name(wsi, nullptr, reinterpret_cast<const unsigned char*>(status_line),
                                  static_cast<int>(std::strlen(status_line)), &p, end) ||
      (name && lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name),
                                           reinterpret_cast<const unsigned char*>(value),
                                           static_cast<int>(std::strlen(value)), &p, end)) ||
      lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
                                   reinterpret_cast<const unsigned char*>("text/plain"), 10, &p, end) ||
      lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
                                   reinterpret_cast<const unsigned char*>(length.data()),
                                   static_cast<int>(length.size()), &p, end) ||
      lws_finalize_http_header(wsi, &p, end)) {
    return 1;
  }
  const std::size_t body_length = std::min<std::size_t>(std::strlen(body), 200);
  std::memcpy(p, body, body_length);
  p += body_length;
  const int size = static_cast<int>(p - start);
  return lws_write(wsi, start, static_cast<std::size_t>(size), LWS_WRITE_HTTP) != size;
}

}  // namespace chat
