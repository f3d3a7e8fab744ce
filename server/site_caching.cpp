#include "server/site_caching.hpp"

#include <algorithm>

namespace chat {
namespace {

constexpr std::size_t kMinHashDigits = 12;

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

bool is_content_named(std::string_view path) {
  const auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  const auto hash_dot = name.rfind('.', last_dot - 1);
  if (hash_dot == std::string_view::npos || hash_dot == 0) return false;
  const std::string_view hash = name.substr(hash_dot + 1, last_dot - hash_dot - 1);
  return hash.size() >= kMinHashDigits && std::all_of(hash.begin(), hash.end(), is_lower_hex);
}

std::string_view cache_control_for(std::string_view path) {
  if (is_content_named(path)) return "public, max-age=31536000, immutable";
  return "no-cache";
}

}  // namespace chat
