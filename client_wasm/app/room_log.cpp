// Ordered insertion with id dedupe. Lines are few (a room's log is capped), so a sorted vector
// beats a node-based map: the view walks it every frame.
#include "app/room_log.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace chat::client {

bool RoomLog::Key::operator<(const Key& other) const {
  return std::tie(after_id, rank, seq) < std::tie(other.after_id, other.rank, other.seq);
}

bool RoomLog::add_chat(LogLine line) {
  line.kind = LogLine::Kind::chat;
  if (line.id <= 0) {
    insert(Key{anchor_, 1, next_seq_++}, std::move(line));
    return true;
  }
  const Key key{line.id, 0, 0};
  const auto at = std::lower_bound(keys_.begin(), keys_.end(), key);
  if (at != keys_.end() && at->after_id == line.id && at->rank == 0) return false;
  const std::int64_t id = line.id;
  insert(key, std::move(line));
  oldest_id_ = oldest_id_ == 0 ? id : std::min(oldest_id_, id);
  newest_id_ = std::max(newest_id_, id);
  anchor_ = std::max(anchor_, id);
  return true;
}

std::size_t RoomLog::merge(const std::vector<ChatLine>& lines) {
  std::size_t added = 0;
  for (const auto& line : lines) {
    added += add_chat(LogLine{LogLine::Kind::chat, line.user, line.text, line.id, line.ts, mentioned(line.mentions)}) ? 1 : 0;
  }
  return added;
}

void RoomLog::add_notice(std::string text, LogLine::Kind kind) {
  insert(Key{anchor_, 1, next_seq_++}, LogLine{kind, {}, std::move(text)});
}

void RoomLog::drop_chat_lines() {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (lines_[i].kind == LogLine::Kind::chat) continue;
    lines_[kept] = std::move(lines_[i]);
    keys_[kept] = keys_[i];
    ++kept;
  }
  lines_.resize(kept);
  keys_.resize(kept);
  oldest_id_ = newest_id_ = 0;
  more_ = false;
}

void RoomLog::trim(std::size_t max) {
  if (lines_.size() <= max) return;
  const auto excess = static_cast<std::ptrdiff_t>(lines_.size() - max);
  const bool drops_stored_lines = std::any_of(lines_.begin(), lines_.begin() + excess,
                                              [](const LogLine& line) { return line.id > 0; });
  lines_.erase(lines_.begin(), lines_.begin() + excess);
  keys_.erase(keys_.begin(), keys_.begin() + excess);
  recompute_bounds();
  if (drops_stored_lines) more_ = true;
}

void RoomLog::insert(Key key, LogLine line) {
  const auto at = std::upper_bound(keys_.begin(), keys_.end(), key);
  lines_.insert(lines_.begin() + (at - keys_.begin()), std::move(line));
  keys_.insert(at, key);
}

void RoomLog::recompute_bounds() {
  oldest_id_ = newest_id_ = 0;
  for (const auto& line : lines_) {
    if (line.kind != LogLine::Kind::chat || line.id <= 0) continue;
    oldest_id_ = oldest_id_ == 0 ? line.id : std::min(oldest_id_, line.id);
    newest_id_ = std::max(newest_id_, line.id);
  }
}

}  // namespace chat::client
