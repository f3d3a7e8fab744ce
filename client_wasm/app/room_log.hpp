// One room's log: chat lines kept in id order, each id once, whether they came live, in the
// history on entering, in a catch-up after a resume or in an older page; notices in between.
// Knows nothing of requests or connections (view_model.hpp decides what to ask for).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/view_state.hpp"
#include "shared/protocol.hpp"

namespace chat::client {

class RoomLog {
 public:
  const std::vector<LogLine>& lines() const { return lines_; }

  // Places a chat line by its id; false if that id is already held. A line without an id (a
  // server that sends none) goes at the end.
  bool add_chat(LogLine line);
  std::size_t merge(const std::vector<ChatLine>& lines);  // the number of new lines
  // A notice stays after the chat lines held when it was added: lines that come later (older
  // pages excepted) are placed after it.
  void add_notice(std::string text, LogLine::Kind kind);
  void drop_chat_lines();  // keeps the notices
  // Drops the oldest lines beyond max; older chat lines can then be loaded again from the server.
  void trim(std::size_t max);

  std::int64_t oldest_id() const { return oldest_id_; }  // 0 if no chat line with an id
  std::int64_t newest_id() const { return newest_id_; }
  // The server holds older lines than oldest_id() (the `more` of the page that reached furthest).
  bool more() const { return more_; }
  void set_more(bool more) { more_ = more; }

 private:
  // Sort key: chat line id, then chat lines before the notices that followed them, then arrival.
  struct Key {
    std::int64_t after_id;
    int rank;  // 0: the chat line with that id; 1: a notice or id-less line after it
    std::uint64_t seq;
    bool operator<(const Key& other) const;
  };
  void insert(Key key, LogLine line);
  void recompute_bounds();

  std::vector<LogLine> lines_;
  std::vector<Key> keys_;  // keys_[i] orders lines_[i]
  std::uint64_t next_seq_ = 0;
  std::int64_t oldest_id_ = 0;
  std::int64_t newest_id_ = 0;
  std::int64_t anchor_ = 0;  // the highest id ever held: new notices go after it
  bool more_ = false;
};

}  // namespace chat::client
