// JSON through nlohmann (as the snapshot); the page turns it into elements.
#include "ui/a11y_mirror.hpp"

#include <emscripten/emscripten.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "app/day_text.hpp"
#include "app/links.hpp"
#include "app/unread.hpp"

namespace chat::client::ui {
namespace {

// The page's own title; the program adds the unread count before it.
constexpr const char* kPageTitle = "Chat";

EM_JS(void, js_update_mirror, (const char* json), {
  if (window.chatMirror) window.chatMirror(JSON.parse(UTF8ToString(json)));
});

nlohmann::json rect_of(const WidgetRects& rects, const std::string& name) {
  for (const auto& [key, r] : rects) {
    if (key == name) return {r.x, r.y, r.width, r.height};
  }
  return nullptr;
}

// The line as read out, cut into text ({"t": ...}) and links ({"a": ...}), which the page makes
// real links.
nlohmann::json spoken_parts(const LogLine& line, bool mentions_me) {
  const bool chat = line.kind == LogLine::Kind::chat;
  std::string text = chat ? line.user + ": " : "";
  auto parts = nlohmann::json::array();
  std::size_t at = 0;
  for (const auto& link : chat ? find_link_spans(line.text) : std::vector<LinkSpan>{}) {
    text += line.text.substr(at, link.begin - at);
    if (!text.empty()) parts.push_back({{"t", std::exchange(text, {})}});
    parts.push_back({{"a", line.text.substr(link.begin, link.end - link.begin)}});
    at = link.end;
  }
  text += line.text.substr(at);
  if (mentions_me) text += " (mentions you)";
  if (!text.empty()) parts.push_back({{"t", text}});
  return parts;
}

// The current private room's members and controls (owner: Remove, Invite; member: Leave), or
// null when no private room is shown.
nlohmann::json private_room(const ViewState& state, const WidgetRects& rects) {
  if (!state.current_dm.empty() || !is_private_room(state, state.current_room)) return nullptr;
  auto members = nlohmann::json::array();
  for (const auto& name : state.room_members) {
    members.push_back({{"name", name}, {"owner", name == state.room_owner},
                       {"remove", rect_of(rects, "member.remove:" + name)}});
  }
  return {{"room", state.current_room},
          {"members", members},
          {"inviteName", rect_of(rects, "member.invite.name")},
          {"invite", rect_of(rects, "member.invite")},
          {"leave", rect_of(rects, "room.leave")},
          {"message", state.member_error}};
}

// The account screen's fields, buttons and devices, or null when it is not shown.
nlohmann::json account_screen(const ViewState& state, const WidgetRects& rects) {
  if (!state.account_open || shows_login(state)) return nullptr;
  auto sessions = nlohmann::json::array();
  for (const auto& session : state.sessions) {
    const std::string name = session.current ? "This device" : "Device " + session.id;
    sessions.push_back({{"name", session.id},
                        {"text", name + ": signed in " + full_time_text(session.created_ms) + ", last used " +
                                     full_time_text(session.last_used_ms)},
                        {"current", session.current},
                        {"rect", rect_of(rects, "session.end:" + session.id)}});
  }
  const std::string message = state.password_error.empty() ? state.password_notice : state.password_error;
  return {{"password", rect_of(rects, "account.password")},
          {"newPassword", rect_of(rects, "account.new_password")},
          {"change", rect_of(rects, "account.change")},
          {"close", rect_of(rects, "account.close")},
          {"sessions", sessions},
          {"message", message},
          {"sessionsMessage", state.sessions_loading ? "Loading the devices..." : state.sessions_error}};
}

// The name screen's controls, or null when the chat is shown.
nlohmann::json login_form(const ViewState& state, const WidgetRects& rects) {
  if (!shows_login(state)) return nullptr;
  return {{"mode", to_string(state.login_mode)},
          {"modes", {{"guest", rect_of(rects, "login.mode.guest")},
                     {"sign_in", rect_of(rects, "login.mode.sign_in")},
                     {"create_account", rect_of(rects, "login.mode.create_account")}}},
          {"name", rect_of(rects, "login.name")},
          {"password", rect_of(rects, "login.password")},
          {"submit", rect_of(rects, "login.button")},
          {"message", state.login_error.empty() ? state.login_notice : state.login_error}};
}

}  // namespace

void A11yMirror::update(const ViewState& state, const std::vector<LogLine>& log,
                        const WidgetRects& rects, const std::string& status, NoticeSwitch notices,
                        bool secret_field) {
  auto rooms = nlohmann::json::array();
  auto members = nlohmann::json::array();
  auto dms = nlohmann::json::array();
  auto lines = nlohmann::json::array();
  const bool login = shows_login(state);
  if (!login) {
    for (const auto& room : state.rooms) {
      const Unread unread = unread_of(state, room);
      rooms.push_back({{"name", room}, {"current", room == state.current_room && state.current_dm.empty()},
                       {"private", is_private_room(state, room)}, {"rect", rect_of(rects, "room:" + room)},
                       {"unread", unread.count}, {"mention", unread.mention}});
    }
    for (const auto& person : state.dms) {
      const Unread unread = unread_of(state, "", person);
      dms.push_back({{"name", person}, {"current", person == state.current_dm}, {"rect", rect_of(rects, "dm:" + person)},
                     {"unread", unread.count}, {"mention", unread.mention}});
    }
    for (const auto& name : state.members) {
      members.push_back({{"name", name}, {"me", name == state.my_name},
                         {"canMessage", can_message(state, name)},
                         {"rect", rect_of(rects, "member:" + name)}});
    }
    const std::size_t first = log.size() > kLogLines ? log.size() - kLogLines : 0;
    for (std::size_t i = first; i < log.size(); ++i) {
      lines.push_back({{"key", log[i].id > 0 ? std::to_string(log[i].id) : "n" + std::to_string(i)},
                       {"parts", spoken_parts(log[i], names_me(log[i], state.my_name))},
                       {"chat", log[i].kind == LogLine::Kind::chat}});
    }
  }
  const nlohmann::json mirror = {
      {"status", status}, {"room", state.current_room}, {"login", login},
      {"rooms", rooms},   {"members", members},         {"log", lines},
      {"dms", dms},
      {"conversation", state.current_dm},
      {"privateRoom", login ? nullptr : private_room(state, rects)},
      {"private", rect_of(rects, "room.private")},
      {"roomName", rect_of(rects, "room.name")},
      {"create", rect_of(rects, "room.create")},
      {"send", rect_of(rects, "chat.send")},
      {"loginForm", login_form(state, rects)},
      {"signOut", login ? nullptr : rect_of(rects, "signout")},
      {"accountButton", login ? nullptr : rect_of(rects, "account")},
      {"accountOpen", state.account_open},
      {"account", account_screen(state, rects)},
      {"typing", login ? "" : state.typing},
      {"title", tab_title(total_unread(state), kPageTitle)},
      {"secretInput", secret_field},
      {"notify", {{"on", notices == NoticeSwitch::on}, {"label", label(notices)},
                  {"rect", rect_of(rects, "notify")}}},
  };
  std::string json = mirror.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (json == last_) return;
  last_ = std::move(json);
  js_update_mirror(last_.c_str());
}

}  // namespace chat::client::ui
