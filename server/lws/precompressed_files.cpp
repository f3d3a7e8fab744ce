// Notes on libwebsockets 4.1.6 that shape this file:
// - lws_http_serve opens every mounted file through the context's file operations, passing
//   LWS_FOP_FLAG_COMPR_ACCEPTABLE_GZIP when Accept-Encoding contains "gzip" (a plain strstr, so
//   "gzip;q=0" counts: no browser sends it). If the open sets LWS_FOP_FLAG_COMPR_IS_GZIP on the file,
//   lws_serve_http_file adds "Content-Encoding: gzip" (its zip-archive file operations use this).
// - lws_get_fops returns the context's own, writable, platform operations; user operations given
//   in the creation info are only asked for paths with their signature (".zip/"), so the platform
//   open itself is wrapped here. The wrapper keeps the original in a static: the operations are a
//   C table with no user data, and the platform open is the same function for every context.
#include "server/lws/precompressed_files.hpp"

#include <uv.h>

#include <libwebsockets.h>

#include <cstring>

#include "server/web_root.hpp"

namespace chat {
namespace {

using OpenFunction = lws_fop_fd_t (*)(const lws_plat_file_ops*, const char*, const char*, lws_fop_flags_t*);

OpenFunction platform_open = nullptr;

lws_fop_fd_t open_precompressed(const lws_plat_file_ops* fops, const char* filename, const char* vpath,
                                lws_fop_flags_t* flags) {
  if (*flags & LWS_FOP_FLAG_COMPR_ACCEPTABLE_GZIP) {
    if (const auto sibling = precompressed_sibling(filename)) {
      if (lws_fop_fd_t file = platform_open(fops, sibling->c_str(), vpath, flags)) {
        *flags |= LWS_FOP_FLAG_COMPR_IS_GZIP;
        file->flags |= LWS_FOP_FLAG_COMPR_IS_GZIP;
        return file;
      }
    }
  }
  return platform_open(fops, filename, vpath, flags);
}

}  // namespace

void serve_precompressed_files(lws_context* context) {
  lws_plat_file_ops* fops = lws_get_fops(context);
  if (fops->LWS_FOP_OPEN == open_precompressed) return;
  platform_open = fops->LWS_FOP_OPEN;
  fops->LWS_FOP_OPEN = open_precompressed;
}

bool accepts_gzip(const char* accept_encoding) {
  return accept_encoding && std::strstr(accept_encoding, "gzip") != nullptr;
}

}  // namespace chat
