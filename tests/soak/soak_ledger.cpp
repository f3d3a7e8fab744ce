// The soak's delivery bookkeeping; see soak_ledger.hpp.
#include "tests/soak/soak_ledger.hpp"

#include <algorithm>

namespace soak {

std::uint32_t DeliveryLedger::add_room() {
  rooms_.emplace_back();
  return static_cast<std::uint32_t>(rooms_.size() - 1);
}

void DeliveryLedger::add_full_receiver(std::uint32_t room, std::uint32_t client) {
  Receiver& receiver = receivers_[client];
  receiver.full = true;
  receiver.room = room;
  rooms_[room].full_receivers.push_back(client);
}

void DeliveryLedger::add_window_receiver(std::uint32_t client) { receivers_[client]; }

void DeliveryLedger::add_sender(std::uint32_t client, std::uint32_t room) {
  senders_[client].room = room;
  rooms_[room].senders.push_back(client);
}

std::uint32_t DeliveryLedger::take_seq(std::uint32_t sender_id) {
  Sender& sender = senders_[sender_id];
  const std::uint64_t receivers = rooms_[sender.room].full_receivers.size();
  sender.due += receivers;
  outstanding_ += receivers;
  return sender.sent++;
}

void DeliveryLedger::vanished(std::uint32_t sender_id) {
  const auto it = senders_.find(sender_id);
  if (it == senders_.end() || it->second.vanished) return;
  it->second.vanished = true;
  outstanding_ -= it->second.due - it->second.delivered;  // no longer awaited: reckon_full decides
}

DeliveryLedger::Receipt DeliveryLedger::receive(std::uint32_t receiver_id, std::uint32_t sender_id, std::uint32_t seq) {
  const auto sender_it = senders_.find(sender_id);
  if (sender_it == senders_.end()) return Receipt::unknown_sender;
  Sender& sender = sender_it->second;
  if (seq >= sender.sent) return Receipt::not_sent_yet;
  const auto receiver_it = receivers_.find(receiver_id);
  if (receiver_it == receivers_.end()) return Receipt::not_receiver;
  Receiver& receiver = receiver_it->second;
  if (receiver.full && receiver.room != sender.room) return Receipt::wrong_room;
  auto stream = receiver.streams.find(sender_id);
  if (stream == receiver.streams.end()) {
    // A window opens at the first line seen, except on one's own lines, which start at 0.
    const std::uint32_t first = receiver.full || receiver_id == sender_id ? 0 : seq;
    stream = receiver.streams.emplace(sender_id, StreamCheck(first)).first;
  }
  if (!stream->second.receive(seq, receiver.full ? full_ : receiver.counts)) return Receipt::duplicate;
  if (receiver.full) {
    ++sender.delivered;
    if (!sender.vanished) --outstanding_;
  }
  return Receipt::first;
}

DeliveryCounts DeliveryLedger::close_window(std::uint32_t receiver_id) {
  const auto it = receivers_.find(receiver_id);
  if (it == receivers_.end() || it->second.full) return {};
  DeliveryCounts counts = it->second.counts;
  for (const auto& [sender, stream] : it->second.streams) counts.lost += stream.gaps();
  receivers_.erase(it);
  return counts;
}

std::uint32_t DeliveryLedger::sent(std::uint32_t sender) const {
  const auto it = senders_.find(sender);
  return it == senders_.end() ? 0 : it->second.sent;
}

std::uint32_t DeliveryLedger::echoed(std::uint32_t sender) const {
  const auto receiver = receivers_.find(sender);
  if (receiver == receivers_.end()) return 0;
  const auto own = receiver->second.streams.find(sender);
  if (own == receiver->second.streams.end()) return 0;
  return own->second.next_expected() - static_cast<std::uint32_t>(own->second.gaps());
}

std::size_t DeliveryLedger::full_receivers() const {
  std::size_t count = 0;
  for (const Room& room : rooms_) count += room.full_receivers.size();
  return count;
}

std::uint64_t DeliveryLedger::full_gaps_now() const {
  std::uint64_t gaps = 0;
  for (const auto& [id, receiver] : receivers_) {
    if (!receiver.full) continue;
    for (const auto& [sender, stream] : receiver.streams) gaps += stream.gaps();
  }
  return gaps;
}

DeliveryCounts DeliveryLedger::windows_so_far() const {
  DeliveryCounts counts;
  for (const auto& [id, receiver] : receivers_) {
    if (receiver.full) continue;
    counts += receiver.counts;
    for (const auto& [sender, stream] : receiver.streams) counts.lost += stream.gaps();
  }
  return counts;
}

// A sender still there (or gone after all its lines came back) sent exactly `sent` lines that
// count. One that vanished: the most any full receiver got of it (or its echoes, if more).
std::uint32_t DeliveryLedger::agreed_count(const Room& room, std::uint32_t sender_id, const Sender& sender) const {
  if (!sender.vanished) return sender.sent;
  std::uint32_t agreed = echoed(sender_id);
  for (const std::uint32_t receiver_id : room.full_receivers) {
    const auto& streams = receivers_.at(receiver_id).streams;
    const auto stream = streams.find(sender_id);
    if (stream != streams.end()) agreed = std::max(agreed, stream->second.next_expected());
  }
  return agreed;
}

DeliveryCounts DeliveryLedger::reckon_full() const {
  DeliveryCounts counts = full_;
  for (const Room& room : rooms_) {
    for (const std::uint32_t sender_id : room.senders) {
      const std::uint32_t count = agreed_count(room, sender_id, senders_.at(sender_id));
      for (const std::uint32_t receiver_id : room.full_receivers) {
        const auto& streams = receivers_.at(receiver_id).streams;
        const auto stream = streams.find(sender_id);
        if (stream == streams.end()) counts.lost += count;
        else stream->second.finish(count, counts);
      }
    }
  }
  return counts;
}

}  // namespace soak
