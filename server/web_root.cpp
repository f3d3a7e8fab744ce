// Resolves as lws's file mount does (root + "/" + path, a folder's index.html), then follows every
// symbolic link with realpath and requires the result under the root's own real path. The root is
// resolved on each request, so a root replaced while running (a deploy's symlink swap) still works.
#include "server/web_root.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

namespace chat {
namespace {

constexpr const char* kIndex = "index.html";
// lws builds the path in a 256-byte buffer and cuts what does not fit: a longer one could name
// another file than the one checked here.
constexpr std::size_t kLwsPathBytes = 255;

std::optional<std::string> real_path(const std::string& path) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return std::nullopt;
  return std::string(resolved);
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

}  // namespace

std::optional<std::string> WebRoot::file_for(std::string_view path) const {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string candidate = root_ + "/" + std::string(path);
  if (path.empty() || path.back() == '/') candidate += kIndex;
  if (candidate.size() >= kLwsPathBytes) return std::nullopt;
  if (is_directory(candidate)) candidate += std::string("/") + kIndex;
  const auto root = real_path(root_);
  const auto file = real_path(candidate);
  if (!root || !file || !is_regular_file(*file)) return std::nullopt;
  const std::string prefix = *root == "/" ? *root : *root + "/";
  if (file->compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return file;
}

std::optional<std::string> precompressed_sibling(const std::string& file) {
  std::string sibling = file + ".gz";
  struct stat info {};
  if (::lstat(sibling.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return sibling;
}

}  // namespace chat
