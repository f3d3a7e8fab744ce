// The accessible mirror of the canvas: what a screen reader and the keyboard need (the status,
// the rooms and people as labelled buttons placed over their drawing, the new-room form, Send and
// the notifications switch over theirs, the log as a live region with real links; on the name
// screen its three ways in, the name and password fields and the button; "Sign out"; private
// rooms marked, the direct conversations, "Message" per person, a private room's members with
// Invite, Remove and Leave; unread counts and mentions on the rooms and conversations, lines
// naming the person, who is typing (a polite live region), the account screen; the tab's title)
// as JSON for the page, which keeps a DOM copy (web/index.html, chatMirror). Sent only when it
// changed, so an idle page does no DOM work.
#pragma once

#include <string>
#include <vector>

#include "app/attention.hpp"
#include "app/view_state.hpp"
#include "ui/widget_rects.hpp"

namespace chat::client::ui {

class A11yMirror {
 public:
  static constexpr std::size_t kLogLines = 50;  // the newest lines the DOM holds

  // After a drawn frame; calls the page when anything in the mirror changed.
  // secret_field: the drawn field with the keyboard is a password's, so the page's hidden text
  // input that carries the keys to it becomes a password input (no echo by screen readers, no
  // IME composition shown in clear, no autofill of chat text into it).
  void update(const ViewState& state, const std::vector<LogLine>& log, const WidgetRects& rects,
              const std::string& status, NoticeSwitch notices, bool secret_field);

 private:
  std::string last_;
};

}  // namespace chat::client::ui
