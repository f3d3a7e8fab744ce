// A minimal HTTP/1.1 GET; chunked bodies are not expected from the chat server for static files,
// so a chunked answer is reported as a failure rather than decoded.
#include "http_client.hpp"

namespace chat_it {

HttpResponse http_get(std::uint16_t port, const std::string& path, milliseconds timeout, bool tls,
                      const std::string& extra_headers, const std::string& method) {
  const Deadline deadline = deadline_in(timeout);
  TestSocket socket = TestSocket::connect_loopback(port, timeout);
  if (tls) socket.start_tls(deadline, "http/1.1");
  const std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nConnection: close\r\n" + extra_headers + "\r\n";
  if (!socket.send_all(request, deadline)) throw HarnessFailure("could not send the HTTP request");
  HttpResponse response;
  response.head = read_http_head(socket, response.body, deadline);
  if (to_lower(response.head.header("transfer-encoding")).find("chunked") != std::string::npos) {
    throw HarnessFailure("unexpected chunked body for GET " + path);
  }
  if (method == "HEAD") return response;
  const std::string length = response.head.header("content-length");
  const std::size_t expected = length.empty() ? std::string::npos : std::stoul(length);
  while (response.body.size() < expected) {
    const auto status = socket.read_some(response.body, deadline);
    if (status == TestSocket::ReadStatus::closed && expected == std::string::npos) break;
    if (status != TestSocket::ReadStatus::data) {
      throw HarnessFailure("body of GET " + path + " incomplete: " + std::to_string(response.body.size()) +
                           " of " + length + " bytes");
    }
  }
  return response;
}

}  // namespace chat_it
