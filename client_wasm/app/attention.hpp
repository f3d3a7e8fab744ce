// When a line deserves a desktop notification, pure: the person allowed them, the line is someone
// else's, and either the tab is hidden or the line mentions them (@name) while the page does not
// have the focus. The page shows it (ui/browser_platform); this only decides and words it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/view_state.hpp"

namespace chat::client {

// Where the person's eyes may be, as the page reports it.
struct PageAttention {
  bool hidden = false;   // document.hidden: another tab, a minimised window
  bool focused = true;   // document.hasFocus()
};

struct DesktopNotice {
  std::string title;  // "robot in general", "robot mentioned you in general"
  std::string body;   // the line's text, at most kMaxBodyBytes
  std::string tag;    // one per room: a new line replaces that room's notice
};

inline constexpr std::size_t kMaxNoticeBodyBytes = 200;

// The "Notify me" switch: off, on (asked for and allowed), or blocked (the browser said no: a
// press asks again, which a browser that remembers the refusal answers at once).
enum class NoticeSwitch { off, on, blocked };
const char* label(NoticeSwitch state);  // what the switch says, ASCII

// "@name" in `text`, ASCII letters compared without case, not followed by another character of
// a name (letters, digits, '_', '-', '.', or any non-ASCII byte).
bool mentions(std::string_view text, std::string_view name);

// The notice to show for a chat line that just arrived in `room`, if any.
std::optional<DesktopNotice> notice_for(const LogLine& line, const std::string& room,
                                        const std::string& my_name, PageAttention page);

}  // namespace chat::client
