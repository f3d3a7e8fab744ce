// How long a browser may keep each file of the web site, decided by its name alone. The build
// names the program's files after their content (chat_client.3f9a1c0e4b2d.wasm, see
// client_wasm/assemble_site.cmake): such a name never changes meaning, so it is kept for a year
// without asking. Every other file (the page, which names them) is asked about on each use: the
// browser sends its ETag back and gets a 304 with no body when nothing changed.
#pragma once

#include <string_view>

namespace chat {

// A file name of the form STEM.HASH.EXT, HASH being 12 or more lower-case hexadecimal digits.
bool is_content_named(std::string_view path);

// The Cache-Control value for a request path ("/", "/chat_client.3f9a1c0e4b2d.js").
std::string_view cache_control_for(std::string_view path);

}  // namespace chat
