#include "app/unread.hpp"

#include <algorithm>
#include <utility>

namespace chat::client {

std::string badge_text(std::int64_t count) {
  if (count <= 0) return "";
  return count > 99 ? "99+" : std::to_string(count);
}

std::string tab_title(std::int64_t total_unread, std::string_view base) {
  if (total_unread <= 0) return std::string(base);
  return "(" + std::to_string(total_unread) + ") " + std::string(base);
}

std::string typing_text(const std::vector<std::string>& names) {
  switch (names.size()) {
    case 0: return "";
    case 1: return names[0] + " is typing\u2026";
    case 2: return names[0] + " and " + names[1] + " are typing\u2026";
    default: return "several people are typing\u2026";
  }
}

std::optional<std::int64_t> ReadMarks::to_send(const std::string& key, std::int64_t newest) {
  auto found = marks_.find(key);
  if (found == marks_.end()) {
    if (marks_.size() >= kMaxKeys || newest <= 0) return std::nullopt;
    found = marks_.emplace(key, Mark{}).first;
  }
  Mark& mark = found->second;
  if (mark.in_flight || newest <= mark.sent) return std::nullopt;
  mark.sent = newest;
  mark.in_flight = true;
  return newest;
}

void ReadMarks::answered(const std::string& key) {
  if (auto found = marks_.find(key); found != marks_.end()) found->second.in_flight = false;
}

void ReadMarks::known_read(const std::string& key, std::int64_t last_read_id) {
  auto found = marks_.find(key);
  if (found == marks_.end()) {
    if (marks_.size() >= kMaxKeys) return;
    found = marks_.emplace(key, Mark{}).first;
  }
  found->second.sent = std::max(found->second.sent, last_read_id);
}

void ReadMarks::connection_closed() {
  for (auto& [key, mark] : marks_) mark.in_flight = false;
}

void TypingBoard::heard(const std::string& key, const std::string& user, double now) {
  for (auto& typer : typers_) {
    if (typer.key == key && typer.user == user) {
      typer.until = now + kShownSeconds;
      return;
    }
  }
  expire(now);
  if (typers_.size() < kMaxTypers) typers_.push_back(Typer{key, user, now + kShownSeconds});
}

void TypingBoard::line_from(const std::string& key, const std::string& user) {
  typers_.erase(std::remove_if(typers_.begin(), typers_.end(),
                               [&](const Typer& t) { return t.key == key && t.user == user; }),
                typers_.end());
}

bool TypingBoard::expire(double now) {
  const std::size_t before = typers_.size();
  typers_.erase(std::remove_if(typers_.begin(), typers_.end(), [now](const Typer& t) { return now >= t.until; }),
                typers_.end());
  return typers_.size() != before;
}

std::vector<std::string> TypingBoard::typing_in(const std::string& key) const {
  std::vector<std::string> names;
  for (const auto& typer : typers_) {
    if (typer.key == key) names.push_back(typer.user);
  }
  return names;
}

}  // namespace chat::client
