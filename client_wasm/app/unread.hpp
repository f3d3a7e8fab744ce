// Unread counts and typing, pure (docs/ACCOUNTS.md, "Step 4"): the words and numbers the room list,
// the tab's title and the line under the log show, which read markers are worth sending, and who
// is typing where until when. The ViewModel feeds them frames, time and what the person sees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

// A room's (or a conversation's) badge: "" for nothing unread, the count, "99+" above 99.
std::string badge_text(std::int64_t count);

// The tab's title: "(N) base" while N lines are unread in all, else `base`.
std::string tab_title(std::int64_t total_unread, std::string_view base);

// "alice is typing…", "alice and bob are typing…", "several people are typing…"; "" for nobody.
std::string typing_text(const std::vector<std::string>& names);

// The mark_read requests worth sending, per log key (a room, or a conversation's key): one in
// flight at a time per key, never one at or below the highest id already sent or known read.
class ReadMarks {
 public:
  static constexpr std::size_t kMaxKeys = 4096;  // beyond: no more markers (rooms come and go)

  // The id to send now for a key whose newest seen line is `newest`, if any; it is then in flight.
  std::optional<std::int64_t> to_send(const std::string& key, std::int64_t newest);
  void answered(const std::string& key);  // its mark_read was answered (or refused)
  // The server says the marker is there already (an unread frame): nothing at or below it is sent.
  void known_read(const std::string& key, std::int64_t last_read_id);
  void connection_closed();  // no answer will come to what was in flight
  void clear() { marks_.clear(); }  // signed out: another account's markers are not ours

 private:
  struct Mark {
    std::int64_t sent = 0;  // the highest id sent, or known read
    bool in_flight = false;
  };
  std::map<std::string, Mark> marks_;
};

// Who is typing where, each until kShownSeconds after their last typing frame or until their line
// comes. Keys are log keys, as for ReadMarks.
class TypingBoard {
 public:
  static constexpr double kShownSeconds = 5.0;
  static constexpr std::size_t kMaxTypers = 256;  // in all keys; a newcomer past it is not shown

  void heard(const std::string& key, const std::string& user, double now);
  void line_from(const std::string& key, const std::string& user);
  bool expire(double now);  // true if anyone was dropped
  std::vector<std::string> typing_in(const std::string& key) const;  // in the order they started
  void clear() { typers_.clear(); }

 private:
  struct Typer {
    std::string key;
    std::string user;
    double until = 0;
  };
  std::vector<Typer> typers_;
};

}  // namespace chat::client
