// Lets lws's file mount send a file's gzip sibling (precompressed_sibling, web_root.hpp) to a
// browser that accepts gzip: the site is compressed once at build time (gzip -9), never per request.
#pragma once

struct lws_context;

namespace chat {

// After lws_create_context: wraps the context's platform file-open so that, when lws says the
// client accepts gzip, it opens FILE.gz instead of FILE and tells lws so; lws then adds
// "Content-Encoding: gzip" and sends the compressed bytes with their own length and ETag.
void serve_precompressed_files(lws_context* context);

// The rule lws applies (LWS_FOP_FLAG_COMPR_ACCEPTABLE_GZIP: "gzip" anywhere in Accept-Encoding),
// for the answers the edge writes itself (HEAD, 304), so both always pick the same file.
bool accepts_gzip(const char* accept_encoding);

}  // namespace chat
