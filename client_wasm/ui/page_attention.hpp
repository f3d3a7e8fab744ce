// The page's side of desktop notifications: the browser's permission (asked for only when the
// person presses "Notify me"), the notice shown, whether the tab is hidden or focused now, and the
// choice remembered for the next visit. What deserves a notice is decided in app/attention.hpp.
#pragma once

#include "app/attention.hpp"

namespace chat::client::ui {

// Asks the browser; the answer comes back through chat_notify_permission() (main.cpp).
void ask_notification_permission();
void show_notification(const DesktopNotice& notice);  // a click on it brings the tab forward
PageAttention page_attention();
// The person's choice, kept in localStorage; on only while the browser still allows notices.
bool notifications_remembered();
void remember_notifications(bool on);

}  // namespace chat::client::ui
