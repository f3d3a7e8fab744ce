// Snapshot as JSON (nlohmann, as in the shared codec; this is not a protocol frame).
#include "ui/snapshot.hpp"

#include <nlohmann/json.hpp>

#include "app/unread.hpp"

namespace chat::client::ui {
namespace {

const char* to_string(LogLine::Kind kind) {
  switch (kind) {
    case LogLine::Kind::chat: return "chat";
    case LogLine::Kind::notice: return "notice";
    case LogLine::Kind::error: return "error";
  }
  return "notice";
}

nlohmann::json lines_json(const std::vector<LogLine>& log, const std::string& my_name) {
  auto lines = nlohmann::json::array();
  for (const auto& line : log) {
    lines.push_back({{"kind", to_string(line.kind)}, {"user", line.user}, {"text", line.text},
                     {"id", line.id}, {"ts", line.ts}, {"time", clock_text(line.ts)},
                     {"mentionsMe", names_me(line, my_name)}});
  }
  return lines;
}

// {"general": {"count": 3, "badge": "3", "mention": false}, ...}
nlohmann::json unread_json(const std::map<std::string, Unread>& counts) {
  auto out = nlohmann::json::object();
  for (const auto& [name, unread] : counts) {
    out[name] = {{"count", unread.count}, {"badge", badge_text(unread.count)}, {"mention", unread.mention}};
  }
  return out;
}

nlohmann::json sessions_json(const std::vector<SessionRow>& sessions) {
  auto out = nlohmann::json::array();
  for (const auto& session : sessions) {
    out.push_back({{"id", session.id}, {"created", session.created_ms}, {"lastUsed", session.last_used_ms},
                   {"current", session.current}});
  }
  return out;
}

nlohmann::json rects_json(const WidgetRects& rects) {
  auto out = nlohmann::json::object();
  for (const auto& [name, rect] : rects) {
    out[name] = {{"x", rect.x}, {"y", rect.y}, {"width", rect.width}, {"height", rect.height}};
  }
  return out;
}

// missing: the characters or clusters no system font could draw (shown as U+FFFD).
nlohmann::json glyphs_json(const GlyphAtlas* atlas) {
  if (atlas == nullptr) return nullptr;
  return {{"count", atlas->glyph_count()},       {"pending", atlas->has_pending()},
          {"colored", atlas->colored_count()},
          {"missing", atlas->missing()},         {"lastBuildMs", atlas->last_build_ms()},
          {"glyphMs", atlas->last_glyph_ms()},   {"textureWidth", atlas->texture_width()},
          {"textureHeight", atlas->texture_height()}};
}

}  // namespace

std::string snapshot_json(const ViewState& state, const std::vector<LogLine>& log,
                          const ChatView& view, bool has_session, float device_pixel_ratio,
                          const GlyphAtlas* atlas, double now) {
  const nlohmann::json snapshot = {
      {"glyphs", glyphs_json(atlas)},
      {"connection", to_string(state.connection)},
      {"status", status_text(state, now)},
      {"loggedIn", state.logged_in},
      {"myName", state.my_name},
      {"showsLogin", shows_login(state)},
      {"currentRoom", state.current_room},
      {"rooms", state.rooms},
      {"log", lines_json(log, state.my_name)},
      {"unread", unread_json(state.unread)},
      {"unreadDms", unread_json(state.unread_dms)},
      {"typing", state.typing},
      {"accountOpen", state.account_open},
      {"passwordError", state.password_error},
      {"passwordNotice", state.password_notice},
      {"sessions", sessions_json(state.sessions)},
      {"sessionsLoading", state.sessions_loading},
      {"sessionsError", state.sessions_error},
      {"members", state.members},
      {"memberAccounts", state.member_accounts},
      {"privateRooms", state.private_rooms},
      {"dms", state.dms},
      {"currentDm", state.current_dm},
      {"roomOwner", state.room_owner},
      {"roomMembers", state.room_members},
      {"memberError", state.member_error},
      {"hasOlder", state.has_older},
      {"loadingOlder", state.loading_older},
      {"logScroll", {{"y", view.log_scroll_y()}, {"max", view.log_scroll_max()}}},
      {"hasSession", has_session},
      {"loginError", state.login_error},
      {"loginMode", to_string(state.login_mode)},
      {"loginNotice", state.login_notice},
      {"signedIn", state.signed_in},
      {"roomError", state.room_error},
      {"inputError", state.input_error},
      {"lastError", state.last_error},
      {"devicePixelRatio", device_pixel_ratio},
      {"widgets", rects_json(view.rects())},
      {"activeField", view.active_field()},
      {"input", view.input_text()},
      {"days", view.days()},
      {"tooltip", view.tooltip()},
      {"selection", view.selection()},
      {"notices", label(view.notices())},
      {"membersGreyed", view.members_greyed()},
  };
  // Never throws: the texts are valid UTF-8, and anything else would be replaced, not fatal.
  return snapshot.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chat::client::ui
