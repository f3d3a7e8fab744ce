// Notes on libwebsockets 4.1.6 that shape this file:
// - Refusals are written by hand (status line and all) and the connection is then closed: lws's
//   own lws_return_http_status keeps the connection for another request and has no text for 421
//   or 431. They are small and written to an empty socket, so they reach the kernel whole.
// - One answer per connection. lws 4.1.6 does not keep pipelined requests apart: three GETs sent
//   at once got 200, then 403 for a valid file, then a close. So every file answer says
//   "Connection: close" and the connection ends once the file is sent (FILE_COMPLETION comes only
//   when lws holds nothing unsent); a browser opens another for its next request.
// - Header fields and the request target are cut by lws at token_limits; the guard refuses those
//   that reached the cut. The pool buffer holds the whole head: past it lws drops the connection
//   without an answer, so it is twice the field limit (a browser's head is 1-8 KiB).
// - CONNECT never reaches FILTER_HTTP_CONNECTION: lws turns the connection into a raw socket bound
//   to protocols[0], which left it open until the handshake timeout.
#include "server/lws/http_edge.hpp"

#include <uv.h>

#include <libwebsockets.h>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cctype>
#include <cstring>
#include <utility>

#include "server/log.hpp"
#include "server/lws/lws_request.hpp"
#include "server/lws/precompressed_files.hpp"
#include "server/site_caching.hpp"

namespace chat {
namespace {

constexpr int kHeaderBufferBytes = 2 * static_cast<int>(HttpRequestGuard::kMaxFieldBytes);

lws_token_limits make_token_limits() {
  lws_token_limits limits{};
  std::fill(std::begin(limits.token_limit), std::end(limits.token_limit),
            static_cast<unsigned short>(HttpRequestGuard::kMaxFieldBytes));
  for (const auto token : {WSI_TOKEN_GET_URI, WSI_TOKEN_POST_URI, WSI_TOKEN_OPTIONS_URI, WSI_TOKEN_PUT_URI,
                           WSI_TOKEN_PATCH_URI, WSI_TOKEN_DELETE_URI, WSI_TOKEN_HEAD_URI, WSI_TOKEN_HTTP_URI_ARGS}) {
    limits.token_limit[token] = static_cast<unsigned short>(HttpRequestGuard::kMaxTargetBytes);
  }
  return limits;
}

const lws_token_limits kTokenLimits = make_token_limits();

constexpr std::array<std::pair<lws_token_indexes, const char*>, 7> kMethods{{
    {WSI_TOKEN_GET_URI, "GET"},
    {WSI_TOKEN_HEAD_URI, "HEAD"},
    {WSI_TOKEN_POST_URI, "POST"},
    {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
    {WSI_TOKEN_PUT_URI, "PUT"},
    {WSI_TOKEN_PATCH_URI, "PATCH"},
    {WSI_TOKEN_DELETE_URI, "DELETE"},
}};

std::size_t length(lws* wsi, lws_token_indexes token) {
  const int bytes = lws_hdr_total_length(wsi, token);
  return bytes > 0 ? static_cast<std::size_t>(bytes) : 0;
}

std::string value(lws* wsi, lws_token_indexes token) {
  const std::size_t bytes = length(wsi, token);
  if (bytes == 0) return {};
  std::string text(bytes + 1, '\0');
  if (lws_hdr_copy(wsi, text.data(), static_cast<int>(text.size()), token) < 0) return {};
  text.resize(bytes);
  return text;
}

HttpRequestFacts read_facts(lws* wsi) {
  HttpRequestFacts facts;
  for (const auto& [token, name] : kMethods) {
    if (length(wsi, token) == 0) continue;
    facts.method = name;
    facts.target_bytes = length(wsi, token);
  }
  facts.target_bytes += length(wsi, WSI_TOKEN_HTTP_URI_ARGS);
  for (int token = 0; token < WSI_TOKEN_COUNT; ++token) {
    const auto index = static_cast<lws_token_indexes>(token);
    if (length(wsi, index) >= kTokenLimits.token_limit[token] && index != WSI_TOKEN_HTTP_URI_ARGS &&
        std::none_of(kMethods.begin(), kMethods.end(), [&](const auto& method) { return method.first == index; })) {
      facts.field_at_limit = true;
    }
  }
  facts.has_host = length(wsi, WSI_TOKEN_HOST) > 0;
  facts.host = value(wsi, WSI_TOKEN_HOST);
  facts.has_content_length = length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0;
  facts.content_length = value(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  facts.has_transfer_encoding = length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
  facts.upgrade = value(wsi, WSI_TOKEN_UPGRADE);
  std::transform(facts.upgrade.begin(), facts.upgrade.end(), facts.upgrade.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return facts;
}

// The whole answer in one write; `raw`: the connection is no longer HTTP to lws (CONNECT).
void write_answer(lws* wsi, const std::string& status, const std::string& headers, const std::string& body, bool raw) {
  std::string text(LWS_PRE, '\0');
  text += "HTTP/1.1 " + status + "\r\n" + headers + "connection: close\r\n\r\n" + body;
  lws_write(wsi, reinterpret_cast<unsigned char*>(text.data()) + LWS_PRE, text.size() - LWS_PRE,
            raw ? LWS_WRITE_RAW : LWS_WRITE_HTTP);
}

void write_refusal(lws* wsi, const HttpRefusal& refusal, bool with_body, bool raw) {
  const std::string body = refusal.message + "\n";
  std::string headers =
      "content-type: text/plain; charset=utf-8\r\ncontent-length: " + std::to_string(body.size()) + "\r\n";
  if (refusal.allow_header) headers += "allow: GET, HEAD\r\n";
  write_answer(wsi, std::to_string(refusal.status) + " " + refusal.reason, headers, with_body ? body : "", raw);
}

// The file whose bytes answer a request for `file`: its gzip sibling when the client accepts gzip
// (the same choice precompressed_files.cpp makes for lws's own answers).
struct Representation {
  std::string file;
  bool gzip = false;
};

Representation representation_of(lws* wsi, const std::string& file) {
  if (accepts_gzip(value(wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING).c_str())) {
    if (auto sibling = precompressed_sibling(file)) return {std::move(*sibling), true};
  }
  return {file, false};
}

// The caching headers of every file answer (200, 304, HEAD). A file that has a gzip sibling varies
// by Accept-Encoding, so that a cache never hands the compressed bytes to a client that did not ask.
std::string caching_headers(std::string_view path, const std::string& file) {
  std::string headers = "cache-control: " + std::string(cache_control_for(path)) + "\r\n";
  if (precompressed_sibling(file)) headers += "vary: accept-encoding\r\n";
  return headers;
}

// HEAD is answered here: lws answers it without a FILE_COMPLETION and then keeps the connection
// for a next request, which it would misread if pipelined (see the notes at the top).
void write_head(lws* wsi, std::string_view path, const std::string& file, const lws_http_mount* mount) {
  const Representation sent = representation_of(wsi, file);
  struct stat info {};
  ::stat(sent.file.c_str(), &info);
  const char* type = lws_get_mimetype(file.c_str(), mount);
  write_answer(wsi, "200 OK",
               std::string("content-type: ") + (type ? type : "application/octet-stream") +
                   "\r\ncontent-length: " + std::to_string(info.st_size) + "\r\n" +
                   (sent.gzip ? "content-encoding: gzip\r\n" : "") + caching_headers(path, file),
               "", false);
}

// lws's own ETag for a file (lws_http_serve: length and mtime in hex), so that a conditional GET is
// answered here when it matches: lws's 304 keeps the connection open for another request.
std::string etag_of(const std::string& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return {};
  char tag[40];
  std::snprintf(tag, sizeof tag, "%08llX%08lX", static_cast<unsigned long long>(info.st_size),
                static_cast<unsigned long>(static_cast<std::uint32_t>(info.st_mtime)));
  return tag;
}

}  // namespace

HttpEdge::HttpEdge(const ServerConfig& config) : guard_(HostCheck(config.server_names)), web_root_(config.web_root) {}

int HttpEdge::header_buffer_bytes() { return kHeaderBufferBytes; }

const lws_token_limits* HttpEdge::token_limits() { return &kTokenLimits; }

int HttpEdge::filter_request(lws* wsi, std::string_view path, const lws_http_mount* mount) {
  const HttpRequestFacts facts = read_facts(wsi);
  auto refusal = guard_.check(facts);
  if (!refusal && answerer_) {
    if (const auto answer = answerer_(path)) {
      write_answer(wsi, std::to_string(answer->status) + " " + answer->reason,
                   "content-type: text/plain; charset=utf-8\r\ncontent-length: " + std::to_string(answer->body.size()) +
                       "\r\ncache-control: no-store\r\n",
                   facts.method == "HEAD" ? "" : answer->body, false);
      return 1;
    }
  }
  const auto file = refusal ? std::nullopt : web_root_.file_for(path);
  if (!refusal && !file) {
    // Missing, or a symbolic link leading out of the root: the same answer, so as to say nothing
    // of what lies outside.
    refusal = HttpRefusal{404, "Not Found", "no such file", false};
  }
  if (!refusal && facts.method == "HEAD") {
    write_head(wsi, path, *file, mount);
    return 1;
  }
  if (!refusal && length(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH) > 0) {
    const std::string tag = etag_of(representation_of(wsi, *file).file);
    if (!tag.empty() && value(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH) == tag) {
      write_answer(wsi, "304 Not Modified", "etag: " + tag + "\r\n" + caching_headers(path, *file), "", false);
      return 1;
    }
  }
  if (!refusal) return 0;
  log_line(LogLevel::debug, "HTTP %d to %s: %s", refusal->status, peer_address(wsi).c_str(), refusal->message.c_str());
  write_refusal(wsi, *refusal, facts.method != "HEAD", false);
  return 1;
}

int HttpEdge::filter_upgrade(lws* wsi) {
  HttpRequestFacts facts = read_facts(wsi);
  // Any other upgrade lws has answered with 403 already, before asking: it only needs closing.
  if (facts.upgrade != "websocket" && facts.upgrade != "h2c") return -1;
  const auto refusal = guard_.check(facts);
  if (!refusal) return 0;
  log_line(LogLevel::info, "refused an upgrade to %.40s from %s: %d, %s", facts.upgrade.c_str(), peer_address(wsi).c_str(),
           refusal->status, refusal->message.c_str());
  write_refusal(wsi, *refusal, true, false);
  return -1;
}

int HttpEdge::refuse_connect(lws* wsi) {
  HttpRefusal refusal{405, "Method Not Allowed", "only GET and HEAD are served", true};
  write_refusal(wsi, refusal, true, true);
  return -1;
}

int HttpEdge::add_headers(lws* wsi, void* in) {
  if (lws_hdr_total_length(wsi, WSI_TOKEN_UPGRADE) > 0) return 0;  // a 101: the connection goes on
  auto* args = static_cast<lws_process_html_args*>(in);
  std::string headers = "connection: close\r\n";
  // lws adds its own Cache-Control ("no-store" for this mount) unless one is here, spelled
  // "cache-control": it looks for that exact lower-case text.
  const std::string path = value(wsi, WSI_TOKEN_GET_URI);
  if (const auto file = web_root_.file_for(path)) headers += caching_headers(path, *file);
  if (static_cast<int>(headers.size()) > args->max_len) return 1;
  std::memcpy(args->p, headers.data(), headers.size());
  args->p += headers.size();
  args->max_len -= static_cast<int>(headers.size());
  return 0;
}

}  // namespace chat
