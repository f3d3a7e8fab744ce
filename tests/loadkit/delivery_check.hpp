// Per receiver, per sender: are a sender's lines received exactly once and in the order sent?
// Not responsible for knowing who should receive what (the scenario driver says that at the end).
#pragma once

#include <cstdint>
#include <vector>

namespace loadkit {

struct DeliveryCounts {
  std::uint64_t received = 0;    // first receipts, in order or not
  std::uint64_t duplicated = 0;  // a sequence number received twice
  std::uint64_t reordered = 0;   // arrived after a later line of the same sender (also received)
  std::uint64_t lost = 0;        // never arrived (counted by finish())
  DeliveryCounts& operator+=(const DeliveryCounts& other);
};

// One (receiver, sender) stream. Lines are numbered 0, 1, 2... by their sender. A gap is kept as
// "missing" until the line shows up late (reordered) or the run ends (lost).
class StreamCheck {
 public:
  StreamCheck() = default;
  // A receiver that arrived in the middle of a stream starts at the first line it saw.
  explicit StreamCheck(std::uint32_t first_seq) : next_(first_seq) {}
  // Returns false for a duplicate, true for a line received for the first time.
  bool receive(std::uint32_t seq, DeliveryCounts& counts);
  // The sender sent `sent` lines in all: whatever is still missing is lost.
  void finish(std::uint32_t sent, DeliveryCounts& counts) const;
  std::uint32_t next_expected() const { return next_; }
  // Lines overtaken by a later one and not received yet: lost unless they still come.
  std::size_t gaps() const { return missing_.size(); }

 private:
  std::uint32_t next_ = 0;
  std::vector<std::uint32_t> missing_;  // almost always empty
};

}  // namespace loadkit
