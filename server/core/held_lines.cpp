#include "server/core/held_lines.hpp"

namespace chat {

void HeldLines::hold(const std::string& epoch, std::int64_t id, SharedText frame) {
  if (lines_.size() >= kMaxHeld) {
    overflowed_ = true;  // the lines are in the history; the read on will fetch them
    return;
  }
  lines_.push_back(Line{epoch, id, std::move(frame)});
}

HeldLines::Release HeldLines::release(const std::string& page_epoch, std::int64_t page_last_id) {
  Release release;
  release.after_id = page_last_id;
  const bool overflowed = overflowed_;
  for (Line& line : lines_) {
    if (!page_epoch.empty() && line.epoch != page_epoch) {
      release.restart = true;
      break;
    }
    if (line.id <= release.after_id) continue;  // in the page already
    if (line.id != release.after_id + 1) {
      release.read_on = true;  // a hole between the page and the live lines
      break;
    }
    release.send.push_back(std::move(line.frame));
    release.after_id = line.id;
  }
  clear();
  if (release.restart) release.send.clear();
  // Lines past the cap were not kept: reading on after those sent brings them.
  if (overflowed && !release.restart) release.read_on = true;
  return release;
}

void HeldLines::clear() {
  lines_.clear();
  overflowed_ = false;
}

}  // namespace chat
