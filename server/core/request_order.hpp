// One connection's requests take effect in the order they were sent, as if each waited for the one
// before: while a request's store work is in flight, later requests wait here. Chat lines are the
// one exception the store's in-order completions allow: an accepted line may start while earlier
// lines are in flight, so a client streaming lines keeps its throughput. Holds the waiting requests
// and counts the work in flight; knows nothing of what a request means.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>

#include "shared/codec.hpp"

namespace chat {

class RequestOrder {
 public:
  // Past this much waiting text the edge is asked to stop reading the connection (TCP then slows
  // the client down); an honest client pipelining behind one store round trip never gets near it.
  static constexpr std::size_t kPauseBytes = 64 * 1024;
  // A client that keeps sending past a pause (the edge may still hold a frame or two) is closed.
  static constexpr std::size_t kMaxBytes = 1024 * 1024;

  enum class Work { line, other };

  bool nothing_waiting() const { return !waiting_ || waiting_->empty(); }
  bool nothing_in_flight() const { return lines_in_flight_ == 0 && others_in_flight_ == 0; }
  // Only chat lines are in flight (possibly none): an accepted line may start beside them.
  bool only_lines_in_flight() const { return others_in_flight_ == 0; }

  void started(Work work) { ++count(work); }
  void finished(Work work) { --count(work); }

  // False if the request would take the waiting text past kMaxBytes (it is not kept). Each request
  // also counts a fixed overhead, so that a flood of empty frames is bounded too.
  bool wait(ClientRequest request, std::size_t bytes);
  // The oldest waiting request; nothing_waiting() must be false.
  const ClientRequest& peek() const { return waiting_->front().request; }
  ClientRequest next();
  bool should_pause_reading() const { return waiting_bytes_ > kPauseBytes; }

 private:
  static constexpr std::size_t kOverheadBytes = 64;
  struct Waiting {
    ClientRequest request;
    std::size_t bytes;
  };
  std::size_t& count(Work work) { return work == Work::line ? lines_in_flight_ : others_in_flight_; }

  // Made on the first wait: most connections never pipeline, and an empty std::deque already
  // holds ~580 bytes (its map and a first block), twice the rest of a connection's core state.
  std::unique_ptr<std::deque<Waiting>> waiting_;
  std::size_t waiting_bytes_ = 0;
  std::size_t lines_in_flight_ = 0;
  std::size_t others_in_flight_ = 0;
};

}  // namespace chat
