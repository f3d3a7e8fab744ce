// Human words for the connection state.
#include "view_state.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace chat::client {

const char* to_string(Connection connection) {
  switch (connection) {
    case Connection::connecting: return "connecting";
    case Connection::online: return "online";
    case Connection::offline: return "offline";
  }
  return "offline";
}

const char* to_string(LoginMode mode) {
  switch (mode) {
    case LoginMode::guest: return "guest";
    case LoginMode::sign_in: return "sign_in";
    case LoginMode::create_account: return "create_account";
  }
  return "guest";
}

bool is_private_room(const ViewState& state, const std::string& room) {
  return std::find(state.private_rooms.begin(), state.private_rooms.end(), room) != state.private_rooms.end();
}

bool can_message(const ViewState& state, const std::string& person) {
  return state.signed_in && person != state.my_name &&
         std::binary_search(state.member_accounts.begin(), state.member_accounts.end(), person);
}

bool owns_current_room(const ViewState& state) {
  return state.signed_in && !state.room_owner.empty() && state.room_owner == state.my_name &&
         is_private_room(state, state.current_room);
}

std::vector<std::string> mentioned(const std::vector<std::string>& names) {
  if (names.size() <= kMaxMentions) return names;
  return std::vector<std::string>(names.begin(), names.begin() + kMaxMentions);
}

bool names_me(const LogLine& line, std::string_view my_name) {
  if (my_name.empty()) return false;
  return std::find(line.mentions.begin(), line.mentions.end(), my_name) != line.mentions.end();
}

std::int64_t total_unread(const ViewState& state) {
  std::int64_t total = 0;
  for (const auto& [room, unread] : state.unread) total += unread.count;
  for (const auto& [person, unread] : state.unread_dms) total += unread.count;
  return total;
}

Unread unread_of(const ViewState& state, const std::string& room, const std::string& dm) {
  const auto& counts = dm.empty() ? state.unread : state.unread_dms;
  const auto found = counts.find(dm.empty() ? room : dm);
  return found == counts.end() ? Unread{} : found->second;
}

bool shows_login(const ViewState& state) {
  if (state.logged_in) return false;
  return state.my_name.empty() || !state.login_error.empty();
}

std::string clock_text(std::int64_t ts_ms) {
  if (ts_ms <= 0) return "";
  const std::time_t seconds = static_cast<std::time_t>(ts_ms / 1000);
  std::tm local{};
  if (!localtime_r(&seconds, &local)) return "";
  char text[8];
  std::strftime(text, sizeof text, "%H:%M", &local);
  return text;
}

std::string status_text(const ViewState& state, double now) {
  switch (state.connection) {
    case Connection::connecting:
      return state.my_name.empty() ? "Connecting..." : "Reconnecting...";
    case Connection::offline: {
      const int seconds = static_cast<int>(std::ceil(std::max(0.0, state.retry_at - now)));
      return "Disconnected: retrying in " + std::to_string(seconds) + " s";
    }
    case Connection::online:
      if (state.logged_in) return (state.signed_in ? "Signed in as " : "Connected as ") + state.my_name;
      if (state.relogging_in) {
        return state.my_name.empty() ? "Connected: resuming..."
                                     : "Connected: logging back in as " + state.my_name + "...";
      }
      return state.login_mode == LoginMode::guest ? "Connected: choose a nickname" : "Connected: sign in";
  }
  return "";
}

}  // namespace chat::client
