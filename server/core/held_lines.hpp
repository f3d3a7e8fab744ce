// HeldLines: the live lines one session must not see yet because its history page is being read.
// When the page arrives, the lines it already holds are dropped and the rest are sent after it,
// unless they do not follow on from the page (a hole, another numbering, too many held): then the
// session reads on from the page's last line instead. No gap, no repeat, whatever order the
// engine's reads and live lines come in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/ports/transport.hpp"

namespace chat {

class HeldLines {
 public:
  // A session that holds more than this reads them from history instead.
  static constexpr std::size_t kMaxHeld = 2000;

  struct Release {
    std::vector<SharedText> send;  // after the page, in order
    bool read_on = false;          // instead: read the lines after `after_id` (of the page's epoch)
    bool restart = false;          // instead: the numbering changed, start again from the latest page
    std::int64_t after_id = 0;
  };

  void hold(const std::string& epoch, std::int64_t id, SharedText frame);
  // The page's epoch (empty: unknown, matches any) and the last id it covered.
  Release release(const std::string& page_epoch, std::int64_t page_last_id);
  void clear();
  bool empty() const { return lines_.empty() && !overflowed_; }

 private:
  struct Line {
    std::string epoch;
    std::int64_t id;
    SharedText frame;
  };
  std::vector<Line> lines_;  // in the order the room delivered them, which is id order
  bool overflowed_ = false;
};

}  // namespace chat
