// The soak's book of chat lines: who sent which line in which room, who had to receive it, who
// did. Clients come and go during a soak, so receivers are of two kinds:
// - full receivers are in their room before its first line and stay to the end: they must get
//   every line of every sender of the room, each once, in each sender's order;
// - window receivers (churners, slow readers) arrive and leave in the middle of the traffic: each
//   (receiver, sender) stream is checked from the first line the receiver saw of that sender to
//   the last (nothing missing in between, no duplicate, no reordering).
// A sender that disappears (closed abruptly, dropped) may have written lines the server never
// read: its count is then what its full receivers agree on, and any receiver short of the others
// has lost lines. Pure bookkeeping, no sockets: unit-tested in soak_ledger_test.cpp.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "tests/soak/kit_names.hpp"

namespace soak {

class DeliveryLedger {
 public:
  enum class Receipt { first, duplicate, unknown_sender, wrong_room, not_sent_yet, not_receiver };

  std::uint32_t add_room();
  // Must come before the room's first line: lines sent earlier would count as lost.
  void add_full_receiver(std::uint32_t room, std::uint32_t client);
  void add_window_receiver(std::uint32_t client);
  void add_sender(std::uint32_t client, std::uint32_t room);
  // The sender's next sequence number; the line counts as sent from now on.
  std::uint32_t take_seq(std::uint32_t sender);
  // The sender is gone, perhaps with lines the server never read.
  void vanished(std::uint32_t sender);
  Receipt receive(std::uint32_t receiver, std::uint32_t sender, std::uint32_t seq);
  // A window receiver leaves: its counts so far, lines missing inside its window as lost.
  DeliveryCounts close_window(std::uint32_t receiver);

  // How many of its own lines came back to the sender, in order from the first.
  std::uint32_t sent(std::uint32_t sender) const;
  std::uint32_t echoed(std::uint32_t sender) const;
  // Deliveries to full receivers still awaited, from senders that are still there.
  std::uint64_t outstanding() const { return outstanding_; }
  std::size_t full_receivers() const;
  // Live figures for progress lines: full receivers' counts (lost not yet known) and the lines
  // they miss behind a later one right now.
  const DeliveryCounts& full_so_far() const { return full_; }
  std::uint64_t full_gaps_now() const;
  DeliveryCounts windows_so_far() const;  // open windows only
  // The final reckoning of full receivers, once the traffic has stopped and drained.
  DeliveryCounts reckon_full() const;

 private:
  struct Sender {
    std::uint32_t room = 0;
    std::uint32_t sent = 0;
    bool vanished = false;
    std::uint64_t due = 0, delivered = 0;  // deliveries to full receivers
  };
  struct Receiver {
    bool full = false;
    std::uint32_t room = 0;  // full receivers only
    DeliveryCounts counts;   // window receivers only: full ones share full_
    std::unordered_map<std::uint32_t, StreamCheck> streams;  // by sender
  };
  struct Room {
    std::vector<std::uint32_t> full_receivers;
    std::vector<std::uint32_t> senders;
  };

  std::uint32_t agreed_count(const Room& room, std::uint32_t sender_id, const Sender& sender) const;

  std::vector<Room> rooms_;
  std::unordered_map<std::uint32_t, Sender> senders_;
  std::unordered_map<std::uint32_t, Receiver> receivers_;
  DeliveryCounts full_;
  std::uint64_t outstanding_ = 0;
};

}  // namespace soak
