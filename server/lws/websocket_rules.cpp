// Written against RFC 6455 and IANA's close code registry; libwebsockets 4.1.6 checks none of the
// handshake rules and only the low close codes (it rewrites those below 3000 that no endpoint may
// send to 1002 before the edge sees them, so both agree on that range).
#include "server/lws/websocket_rules.hpp"

#include <algorithm>
#include <cctype>

#include "shared/utf8.hpp"

namespace chat {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_base64_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; }

// 16 bytes in base64 are exactly 22 symbols and "==". The last symbol carries 2 bits of the 16th
// byte and 4 zero bits, so it is one of A, Q, g, w: anything else does not decode to 16 bytes.
bool is_base64_of_16_bytes(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  if (!std::all_of(key.begin(), key.begin() + 22, is_base64_char)) return false;
  const char last = key[21];
  return last == 'A' || last == 'Q' || last == 'g' || last == 'w';
}

bool may_be_sent(int code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

}  // namespace

UpgradeVerdict check_upgrade(std::string_view version, std::string_view key) {
  if (trim(version) != "13") return UpgradeVerdict::unsupported_version;
  if (!is_base64_of_16_bytes(trim(key))) return UpgradeVerdict::bad_key;
  return UpgradeVerdict::accept;
}

int close_frame_error(std::string_view payload) {
  if (payload.empty()) return 0;
  if (payload.size() == 1) return 1002;
  const int code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
  if (!may_be_sent(code)) return 1002;
  if (!utf8::is_valid(payload.substr(2))) return 1007;
  return 0;
}

}  // namespace chat
