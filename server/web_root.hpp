// Which file of the web root a request path names, if any: the one place that decides that a
// symbolic link leading out of the root is not served, and which gzip file may stand in for one.
// Reads the file system (realpath, stat), nothing else; lws serves the file itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chat {

class WebRoot {
 public:
  explicit WebRoot(std::string root) : root_(std::move(root)) {}

  // path: the request's decoded path ("/", "/x.wasm", "/dir/"), as lws gives it. The real path of
  // the regular file lws would open for it (index.html for a folder), or nullopt when there is
  // none or its real path lies outside the root's real path (a symbolic link leading out).
  std::optional<std::string> file_for(std::string_view path) const;

 private:
  std::string root_;
};

// The file sent instead of `file` (one file_for returned) to a client that accepts gzip: `file` +
// ".gz" when that is a regular file itself. A symbolic link is never taken, so the stand-in lies in
// the same real folder as `file`, inside the root. nullopt: send `file` as it is.
std::optional<std::string> precompressed_sibling(const std::string& file);

}  // namespace chat
