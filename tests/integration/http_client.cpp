// Minimal HTTP/1.1 response reading; chunked bodies are not expected from the chat server for
// static files, so a chunked answer is reported as a failure rather than decoded.
#include "http_client.hpp"

#include <algorithm>
#include <cctype>

namespace chat_it {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

HttpHead parse_head(std::string_view text) {
  HttpHead head;
  std::size_t line_end = text.find("\r\n");
  head.status_line = std::string(text.substr(0, line_end));
  if (head.status_line.rfind("HTTP/1.", 0) != 0 || head.status_line.size() < 12) {
    throw HarnessFailure("not an HTTP status line: " + head.status_line);
  }
  head.status = std::stoi(head.status_line.substr(9, 3));
  while (line_end != std::string_view::npos && line_end + 2 < text.size()) {
    const std::size_t start = line_end + 2;
    line_end = text.find("\r\n", start);
    const auto line = text.substr(start, line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    head.headers[to_lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return head;
}

}  // namespace

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string HttpHead::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpHead read_http_head(TestSocket& socket, std::string& buffer, Deadline deadline) {
  for (;;) {
    const auto end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      HttpHead head = parse_head(std::string_view(buffer).substr(0, end));
      buffer.erase(0, end + 4);
      return head;
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

HttpResponse http_get(std::uint16_t port, const std::string& path, milliseconds timeout, bool tls) {
  const Deadline deadline = deadline_in(timeout);
  TestSocket socket = TestSocket::connect_loopback(port, timeout);
  if (tls) socket.start_tls(deadline, "http/1.1");
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                              "\r\nConnection: close\r\n\r\n";
  if (!socket.send_all(request, deadline)) throw HarnessFailure("could not send the HTTP request");
  HttpResponse response;
  response.head = read_http_head(socket, response.body, deadline);
  if (to_lower(response.head.header("transfer-encoding")).find("chunked") != std::string::npos) {
    throw HarnessFailure("unexpected chunked body for GET " + path);
  }
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
