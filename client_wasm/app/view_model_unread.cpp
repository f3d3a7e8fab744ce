// The ViewModel's unread counts, read markers and typing (docs/ACCOUNTS.md, "Step 4"): the
// server's counts applied to the room list, lines that arrive unseen in the room shown counted
// here (the server counts them only for the account's other rooms), the newest line of the log
// looked at marked read, and who is typing. Pure bookkeeping is app/unread.hpp's.
#include <utility>

#include "app/view_model.hpp"

namespace chat::client {
namespace {

// A typing frame is passed on by the server at most once per 3 s per connection
// (--typing-interval-ms): sending more often would only be dropped. Half a second more, so that
// two frames sent apart never reach it closer than that, whatever the network does to them.
constexpr double kTypingIntervalSeconds = 3.5;
// Rooms and conversations with a count: a bound on what a misbehaving server could make the page
// hold (the server sends only the account's followed ones).
constexpr std::size_t kMaxUnreadEntries = 4096;

}  // namespace

bool ViewModel::set_page_visible(bool visible) {
  if (visible == page_visible_) return false;
  page_visible_ = visible;
  refresh_room_state();
  return true;
}

bool ViewModel::looking_at(const std::string& key) const {
  return page_visible_ && !state_.account_open && key == shown_log_key();
}

void ViewModel::apply_unread(const UnreadFrame& frame) {
  // An answer to our mark_read echoes its id: the next one for that log may go.
  if (const auto asked = pending_.take(frame.request_id); asked && asked->kind == Asked::Kind::mark_read) {
    read_marks_.answered(asked->subject);
  }
  for (const auto& entry : frame.unread) {
    const bool dm = !entry.dm.empty();
    const std::string& name = dm ? entry.dm : entry.room;
    if (name.empty()) continue;
    const std::string key = dm ? dm_log_key(entry.dm) : entry.room;
    read_marks_.known_read(key, entry.last_read_id);
    auto& counts = dm ? state_.unread_dms : state_.unread;
    if (entry.count <= 0 || looking_at(key)) {
      counts.erase(name);
    } else if (counts.size() < kMaxUnreadEntries || counts.count(name) > 0) {
      counts[name] = Unread{entry.count, entry.mention};
    }
  }
}

void ViewModel::apply_typing(const TypingFrame& frame, double now) {
  if (frame.user.empty() || frame.user == state_.my_name) return;  // our own other device
  const std::string key = frame.dm.empty() ? frame.room : dm_log_key(frame.dm);
  if (key.empty()) return;
  typing_board_.heard(key, frame.user, now);
}

void ViewModel::note_new_line(const std::string& key, const LogLine& line) {
  typing_board_.line_from(key, line.user);
  // Own lines are read (the server raises our marker); lines of logs not shown are the server's
  // to count (a followed room), and a guest only ever hears the room it is in.
  if (line.user == state_.my_name || key != shown_log_key() || looking_at(key)) return;
  const bool dm = !state_.current_dm.empty();
  auto& counts = dm ? state_.unread_dms : state_.unread;
  const std::string& name = dm ? state_.current_dm : state_.current_room;
  if (counts.size() >= kMaxUnreadEntries && counts.count(name) == 0) return;
  Unread& unread = counts[name];
  ++unread.count;
  unread.mention = unread.mention || names_me(line, state_.my_name);
}

// Only a log being looked at is read: its count goes, and (an account's) its newest line is
// sent as read, one request at a time per log. Not while its entry page is still to come.
void ViewModel::mark_shown_read() {
  const std::string key = shown_log_key();
  if (!looking_at(key)) return;
  const bool dm = !state_.current_dm.empty();
  (dm ? state_.unread_dms : state_.unread).erase(dm ? state_.current_dm : state_.current_room);
  if (phase_ != Phase::online || !state_.signed_in || entering_room_ == key) return;
  const auto log = logs_.find(key);
  if (log == logs_.end()) return;
  if (const auto id = read_marks_.to_send(key, log->second.newest_id())) {
    const std::string room = dm ? "" : state_.current_room;
    send(MarkRead{room, *id, state_.current_dm}, Asked{Asked::Kind::mark_read, key});
  }
}

// A refused mark_read leaves the count as the server said (a later line tries again); a refused
// typing frame tells nobody, and the person is not bothered with it.
void ViewModel::unread_request_refused(const Asked& asked) {
  if (asked.kind == Asked::Kind::mark_read) read_marks_.answered(asked.subject);
}

void ViewModel::refresh_typing() { state_.typing = typing_text(typing_board_.typing_in(shown_log_key())); }

// Keys typed too soon after the last frame are told when the interval is over (tick), unless the
// line was sent or another log shown meanwhile: a burst that started then is not lost.
bool ViewModel::typing(double now) {
  if (phase_ != Phase::online) return false;
  if (now - typing_sent_at_ < kTypingIntervalSeconds) {
    typing_owed_for_ = shown_log_key();
    return false;
  }
  typing_sent_at_ = now;
  typing_owed_for_.clear();
  const std::string& dm = state_.current_dm;
  send(Typing{dm.empty() ? state_.current_room : "", dm}, Asked{Asked::Kind::typing, shown_log_key()});
  return true;
}

void ViewModel::send_owed_typing(double now) {
  if (typing_owed_for_.empty() || now - typing_sent_at_ < kTypingIntervalSeconds) return;
  if (typing_owed_for_ == shown_log_key()) {
    typing(now);
  } else {
    typing_owed_for_.clear();
  }
}

void ViewModel::forget_unread() {
  state_.unread.clear();
  state_.unread_dms.clear();
  read_marks_.clear();
}

}  // namespace chat::client
