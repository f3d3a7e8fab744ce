// RoomFeed: one room's lines put back in id order before anyone sees them. The engine's inbox may
// repeat a line, miss one (Redis pub/sub is at most once), or restart the room's numbering (a new
// epoch); the feed delivers each id once and in order, and says when the room's history must be
// read to fill a hole. This is Centrifuge's offset + epoch recovery, done once per room on the
// node (not by every client): a hole is filled from durable history, so no one sees a gap.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/core/voided_ids.hpp"
#include "server/ports/store.hpp"
#include "shared/protocol.hpp"

namespace chat {

class RoomFeed {
 public:
  using Waiter = std::function<void()>;
  // What the caller does after each event, in this order: (forget what it keeps in the old
  // numbering if renumbered,) deliver the lines, run the waiters, and if read_needed, read the room's lines after begin_read() and hand the page to read_done.
  struct Step {
    std::vector<ChatLine> deliver;
    std::vector<Waiter> ready;
    bool read_needed = false;
    bool renumbered = false;  // the room numbers anew (a new epoch): ids from before mean nothing now
  };
  // Lines held out of order beyond this are dropped: the read that follows brings them back.
  static constexpr std::size_t kMaxHeld = 4096;

  RoomFeed(std::string epoch, std::int64_t last_id) : epoch_(std::move(epoch)), last_id_(last_id) {}

  Step offer(const std::string& epoch, const ChatLine& line);
  // `id` will never hold a line: the feed moves past it without a read.
  Step skip(const std::string& epoch, std::int64_t id);
  // The live feed restarted: anything may have been missed since the last line delivered.
  Step resync();
  // Where the read asked for by read_needed starts (exclusive); marks it in flight.
  std::int64_t begin_read();
  Step read_done(const LinePage& page);

  // `waiter` runs (through a later Step's ready) once `id` of `epoch` has been delivered or can no
  // longer be (the numbering restarted); true instead if that is already so.
  bool delivered_or_wait(const std::string& epoch, std::int64_t id, Waiter waiter);
  // For a room that goes away: every waiter, to run now.
  std::vector<Waiter> take_waiters();

  const std::string& epoch() const { return epoch_; }
  // How many times the numbering restarted: ids compare only within one numbering.
  std::uint32_t numbering() const { return numbering_; }
  std::int64_t last_id() const { return last_id_; }
  // Lines delivered after `read_id` (a reader's marker) in this numbering: the ids in
  // (read_id, last_id] but the void ones. A marker beyond the last id (an older numbering) reads 0.
  std::int64_t lines_after(std::int64_t read_id) const;
  bool reading() const { return reading_; }

 private:
  struct Held {
    std::optional<ChatLine> line;  // none: a void id
    std::uint64_t arrival = 0;     // offers counted, to tell an old hole from a new one
  };
  Step take(const std::string& epoch, std::int64_t id, std::optional<ChatLine> line);
  // True if the epoch is (now) the feed's; a different one restarts the numbering.
  void follow_epoch(const std::string& epoch, Step& step);
  void advance(std::int64_t id, std::optional<ChatLine> line, Step& step);
  void drain(Step& step);
  void ask_read(Step& step);
  void release_waiters(Step& step, bool all);

  std::string epoch_;
  std::int64_t last_id_ = 0;
  std::uint32_t numbering_ = 0;
  std::map<std::int64_t, Held> held_;  // ids above last_id_ + 1, waiting for the hole to fill
  std::uint64_t arrivals_ = 0;
  bool reading_ = false;
  bool read_again_ = false;   // something arrived during the read that it may not cover
  std::uint64_t read_started_at_ = 0;  // arrivals_ when the read in flight was asked
  std::multimap<std::int64_t, Waiter> waiters_;
  VoidedIds voided_;  // of this numbering, for lines_after
};

}  // namespace chat
