#include "ui/page_attention.hpp"

#include <emscripten/emscripten.h>

namespace chat::client::ui {
namespace {

EM_JS(void, js_ask_notification_permission, (), {
  const answer = (granted) => Module._chat_notify_permission(granted ? 1 : 0);
  if (!('Notification' in window)) return answer(false);
  Notification.requestPermission().then((result) => answer(result === 'granted'), () => answer(false));
});

EM_JS(void, js_show_notification, (const char* title, const char* body, const char* tag), {
  try {
    const notice = new Notification(UTF8ToString(title), { body: UTF8ToString(body), tag: UTF8ToString(tag) });
    notice.onclick = () => { window.focus(); notice.close(); };
  } catch (e) {
    console.warn('notification:', e);
  }
});

EM_JS(int, js_page_hidden, (), { return document.hidden ? 1 : 0; });
EM_JS(int, js_page_focused, (), { return document.hasFocus() ? 1 : 0; });

EM_JS(int, js_notifications_remembered, (), {
  try {
    return localStorage.getItem('chat.notify') === 'on' && window.Notification &&
           Notification.permission === 'granted' ? 1 : 0;
  } catch (e) {
    return 0;  // storage refused (private mode): ask again next time
  }
});

EM_JS(void, js_remember_notifications, (int on), {
  try {
    if (on) localStorage.setItem('chat.notify', 'on');
    else localStorage.removeItem('chat.notify');
  } catch (e) {}
});

}  // namespace

void ask_notification_permission() { js_ask_notification_permission(); }

void show_notification(const DesktopNotice& notice) {
  js_show_notification(notice.title.c_str(), notice.body.c_str(), notice.tag.c_str());
}

PageAttention page_attention() { return PageAttention{js_page_hidden() != 0, js_page_focused() != 0}; }

bool notifications_remembered() { return js_notifications_remembered() != 0; }

void remember_notifications(bool on) { js_remember_notifications(on ? 1 : 0); }

}  // namespace chat::client::ui
