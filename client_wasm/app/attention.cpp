#include "app/attention.hpp"

#include <cctype>

#include "shared/utf8.hpp"

namespace chat::client {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool continues_name(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x80 || std::isalnum(byte) || c == '_' || c == '-' || c == '.';
}

bool same_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

const char* label(NoticeSwitch state) {
  switch (state) {
    case NoticeSwitch::on: return "Notifying";
    case NoticeSwitch::blocked: return "Notices blocked";
    case NoticeSwitch::off: break;
  }
  return "Notify me";
}

bool mentions(std::string_view text, std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    const std::size_t end = at + 1 + name.size();
    if (end > text.size() || !same_ignoring_ascii_case(text.substr(at + 1, name.size()), name)) continue;
    // "ana." at the end of a sentence still names ana.
    const bool ends_here = end == text.size() || !continues_name(text[end]) ||
                           (text[end] == '.' && (end + 1 == text.size() || !continues_name(text[end + 1])));
    if (ends_here) return true;
  }
  return false;
}

std::optional<DesktopNotice> notice_for(const LogLine& line, const std::string& room,
                                        const std::string& my_name, PageAttention page) {
  if (line.kind != LogLine::Kind::chat || line.user == my_name) return std::nullopt;
  const bool mentioned = mentions(line.text, my_name);
  if (!page.hidden && !(mentioned && !page.focused)) return std::nullopt;
  DesktopNotice notice;
  notice.title = line.user + (mentioned ? " mentioned you in " : " in ") + room;
  notice.body = std::string(utf8::truncate(line.text, kMaxNoticeBodyBytes));
  notice.tag = "chat:" + room;
  return notice;
}

}  // namespace chat::client
