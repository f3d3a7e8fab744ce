// The feed's one invariant: every id up to last_id_ has been delivered (or proven not to exist),
// and nothing above it has. A hole is proven empty only by a read of durable history that ran
// after the line above the hole had arrived: then the ids in between were never stored (a failed
// write whose void notice was lost, say), and waiting for them would stall the room for ever.
#include "server/core/room_feed.hpp"

#include <algorithm>

namespace chat {

RoomFeed::Step RoomFeed::offer(const std::string& epoch, const ChatLine& line) { return take(epoch, line.id, line); }

RoomFeed::Step RoomFeed::skip(const std::string& epoch, std::int64_t id) { return take(epoch, id, std::nullopt); }

RoomFeed::Step RoomFeed::take(const std::string& epoch, std::int64_t id, std::optional<ChatLine> line) {
  ++arrivals_;
  Step step;
  follow_epoch(epoch, step);
  if (id <= last_id_) return step;  // a repeat
  if (id == last_id_ + 1) {
    advance(id, std::move(line), step);
    drain(step);
  } else {
    if (held_.size() < kMaxHeld) held_.emplace(id, Held{std::move(line), arrivals_});
    ask_read(step);
  }
  release_waiters(step, false);
  return step;
}

RoomFeed::Step RoomFeed::resync() {
  Step step;
  ask_read(step);
  return step;
}

std::int64_t RoomFeed::begin_read() {
  reading_ = true;
  read_again_ = false;
  read_started_at_ = arrivals_;
  return last_id_;
}

RoomFeed::Step RoomFeed::read_done(const LinePage& page) {
  Step step;
  reading_ = false;
  if (!page.ok) return step;  // the next arrival or resync asks again
  if (!page.lines.empty()) follow_epoch(page.epoch, step);
  for (const ChatLine& line : page.lines) {
    if (line.id <= last_id_) continue;
    voided_.add_range(last_id_ + 1, line.id - 1);  // ids skipped over were never stored
    advance(line.id, line, step);
  }
  drain(step);
  if (page.more || read_again_) {
    step.read_needed = true;
  } else {
    // What is still held lies beyond a hole. If it arrived before the read ran, the read saw no
    // line in the hole: there is none. Otherwise the hole may be newer than the read.
    while (!held_.empty() && held_.begin()->second.arrival <= read_started_at_) {
      voided_.add_range(last_id_ + 1, held_.begin()->first - 1);
      last_id_ = held_.begin()->first - 1;
      drain(step);
    }
    if (!held_.empty()) step.read_needed = true;
  }
  release_waiters(step, false);
  return step;
}

bool RoomFeed::delivered_or_wait(const std::string& epoch, std::int64_t id, Waiter waiter) {
  if (epoch == epoch_ && id <= last_id_) return true;
  waiters_.emplace(id, std::move(waiter));
  return false;
}

std::vector<RoomFeed::Waiter> RoomFeed::take_waiters() {
  std::vector<Waiter> all;
  for (auto& [id, waiter] : waiters_) all.push_back(std::move(waiter));
  waiters_.clear();
  return all;
}

void RoomFeed::follow_epoch(const std::string& epoch, Step& step) {
  if (epoch.empty() || epoch == epoch_) return;
  const bool restarted = last_id_ != 0 || !held_.empty();
  epoch_ = epoch;
  if (!restarted) return;  // a room's first epoch (or a store that has none)
  ++numbering_;
  step.renumbered = true;
  last_id_ = 0;
  held_.clear();
  voided_.clear();
  release_waiters(step, true);  // their lines belong to the old numbering
}

void RoomFeed::advance(std::int64_t id, std::optional<ChatLine> line, Step& step) {
  last_id_ = id;
  if (line) {
    step.deliver.push_back(std::move(*line));
  } else {
    voided_.add(id);
  }
}

std::int64_t RoomFeed::lines_after(std::int64_t read_id) const {
  const std::int64_t after = std::max<std::int64_t>(read_id, 0);
  if (after >= last_id_) return 0;
  return last_id_ - after - voided_.count_in(after, last_id_);
}

void RoomFeed::drain(Step& step) {
  while (!held_.empty() && held_.begin()->first <= last_id_ + 1) {
    auto next = held_.extract(held_.begin());
    if (next.key() > last_id_) advance(next.key(), std::move(next.mapped().line), step);
  }
}

void RoomFeed::ask_read(Step& step) {
  if (reading_) {
    read_again_ = true;
  } else {
    step.read_needed = true;
  }
}

void RoomFeed::release_waiters(Step& step, bool all) {
  const auto end = all ? waiters_.end() : waiters_.upper_bound(last_id_);
  for (auto it = waiters_.begin(); it != end; ++it) step.ready.push_back(std::move(it->second));
  waiters_.erase(waiters_.begin(), end);
}

}  // namespace chat
