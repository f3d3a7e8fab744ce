// How the liveness sweep walks the connections: not all at once but a slice per tick, round the
// table, each slice with a budget of pings. Liveness (LivenessSweep's defaults: ping after 5 s of
// silence, drop after 10 s) is checked every 100 ms by ten slices 10 ms apart rather than by lws's
// idle policy: lws 4.1.6 keeps one timer per connection in a sorted list, and re-arming it on every
// frame received cost O(connections) (54 % of the CPU with 10 000 connections).
// Connections that arrived together fall silent together; pinging them all at once made a burst
// of thousands of writes (then pongs) that stalled the loop for ~0.5 s at 10 000 connections, and
// 500 at a time still ~5 ms. At most 50 per slice (5 000 a second) spreads them out.
// Pure: positions in a table in, positions out.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chat {

class SweepRotation {
 public:
  static constexpr std::uint64_t kSweepEveryMs = 100;  // every connection is looked at this often...
  static constexpr std::size_t kSlices = 10;            // ...a tenth of them every 10 ms
  static constexpr std::uint64_t kTickMs = kSweepEveryMs / kSlices;
  static constexpr int kMaxPingsPerSlice = 50;

  // One tick's share of a table of connections.
  class Slice {
   public:
    Slice(std::size_t first, std::size_t length, std::size_t count) : first_(first), length_(length), count_(count) {}
    std::size_t length() const { return length_; }
    // The table position of the slice's i-th connection (i < length()), wrapping round the table.
    std::size_t at(std::size_t i) const { return (first_ + i) % count_; }
    // True while the slice may still ping (kMaxPingsPerSlice); each true spends one.
    bool take_ping() { return pings_++ < kMaxPingsPerSlice; }

   private:
    std::size_t first_;
    std::size_t length_;
    std::size_t count_;
    int pings_ = 0;
  };

  // The next tick's slice of a table of `count`: a tenth of it (rounded up), from where the
  // previous slice stopped, or from the start when the table has shrunk below that.
  Slice next(std::size_t count);

 private:
  std::size_t cursor_ = 0;
};

}  // namespace chat
