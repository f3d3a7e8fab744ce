// Reading a response head over a TestSocket; parsing is handshake.cpp's.
#include "tests/wskit/http_head_reader.hpp"

namespace wskit {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;

}  // namespace

HttpHead read_http_head(TestSocket& socket, std::string& buffer, Deadline deadline) {
  for (;;) {
    const auto end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      auto head = parse_http_head(std::string_view(buffer).substr(0, end));
      if (!head) throw HarnessFailure("not an HTTP status line: " + buffer.substr(0, buffer.find("\r\n")));
      buffer.erase(0, end + 4);
      return *head;
    }
    if (buffer.size() > kMaxHeadBytes) throw HarnessFailure("HTTP head larger than 16 KiB");
    const auto status = socket.read_some(buffer, deadline);
    if (status == TestSocket::ReadStatus::timeout) {
      throw HarnessFailure("no complete HTTP response head in time; got: " + buffer.substr(0, 200));
    }
    if (status == TestSocket::ReadStatus::closed) {
      throw HarnessFailure("connection closed before the HTTP response head; got: " + buffer.substr(0, 200));
    }
  }
}

}  // namespace wskit
