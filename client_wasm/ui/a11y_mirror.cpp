// JSON through nlohmann (as the snapshot); the page turns it into elements.
#include "ui/a11y_mirror.hpp"

#include <emscripten/emscripten.h>

#include <nlohmann/json.hpp>

namespace chat::client::ui {
namespace {

EM_JS(void, js_update_mirror, (const char* json), {
  if (window.chatMirror) window.chatMirror(JSON.parse(UTF8ToString(json)));
});

nlohmann::json rect_of(const WidgetRects& rects, const std::string& name) {
  for (const auto& [key, r] : rects) {
    if (key == name) return {r.x, r.y, r.width, r.height};
  }
  return nullptr;
}

std::string spoken(const LogLine& line) {
  return line.kind == LogLine::Kind::chat ? line.user + ": " + line.text : line.text;
}

}  // namespace

void A11yMirror::update(const ViewState& state, const std::vector<LogLine>& log,
                        const WidgetRects& rects, const std::string& status) {
  auto rooms = nlohmann::json::array();
  auto members = nlohmann::json::array();
  auto lines = nlohmann::json::array();
  if (!shows_login(state)) {
    for (const auto& room : state.rooms) {
      rooms.push_back({{"name", room}, {"current", room == state.current_room},
                       {"rect", rect_of(rects, "room:" + room)}});
    }
    for (const auto& name : state.members) {
      members.push_back({{"name", name}, {"me", name == state.my_name},
                         {"rect", rect_of(rects, "member:" + name)}});
    }
    const std::size_t first = log.size() > kLogLines ? log.size() - kLogLines : 0;
    for (std::size_t i = first; i < log.size(); ++i) {
      lines.push_back({{"key", log[i].id > 0 ? std::to_string(log[i].id) : "n" + std::to_string(i)},
                       {"text", spoken(log[i])},
                       {"chat", log[i].kind == LogLine::Kind::chat}});
    }
  }
  const nlohmann::json mirror = {
      {"status", status}, {"room", state.current_room}, {"login", shows_login(state)},
      {"rooms", rooms},   {"members", members},         {"log", lines},
  };
  std::string json = mirror.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (json == last_) return;
  last_ = std::move(json);
  js_update_mirror(last_.c_str());
}

}  // namespace chat::client::ui
