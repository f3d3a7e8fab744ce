// Which file of the web root a request path names, if any: the one place that decides that a
// symbolic link leading out of the root is not served. Reads the file system (realpath, stat),
// nothing else; lws serves the file itself.
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

}  // namespace chat
