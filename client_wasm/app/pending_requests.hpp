// The requests this client sent and has not had an answer to, by the request_id it gave them, so
// that a refusal (which echoes the id, docs/PROTOCOL.md) says which request it refuses instead of
// the client guessing from the error code or the order of frames. Pure bookkeeping.
//
// Bounded: a line that is accepted gets no answer of its own (its echo is a broadcast), so its
// entry only leaves when newer requests push it out. Past the cap the oldest entry goes; a late
// answer to it is then an unknown id, which the caller treats like an answer naming no request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace chat::client {

// What a request asked for: enough to route its refusal and to recognise its answer.
struct Asked {
  enum class Kind { login, resume, send, create_room, join_room, history, sign_in, create_account, logout,
                    invite, remove_member, room_members, mark_read, typing, change_password, sessions,
                    end_session };
  Kind kind = Kind::send;
  std::string subject;         // the name (login, resume, sign_in, create_account) or the room (rooms, history, members), the log key (history of a conversation, mark_read, typing); "" for a line
  std::int64_t before_id = 0;  // history: the page asked for ends before this line
};

class PendingRequests {
 public:
  static constexpr std::size_t kDefaultCapacity = 64;
  explicit PendingRequests(std::size_t capacity = kDefaultCapacity);

  // Files a request about to be sent; returns its request_id as written on the wire (compact JSON).
  std::string file(Asked asked);
  // The request an answer echoes the id of, forgotten now; none for "" or an id not pending.
  std::optional<Asked> take(std::string_view request_id);
  // The newest pending request of that kind, or null.
  const Asked* newest(Asked::Kind kind) const;
  // The connection closed: no answer to what it carried will come.
  void clear() { by_id_.clear(); }
  std::size_t size() const { return by_id_.size(); }

 private:
  std::size_t capacity_;
  std::uint64_t next_id_ = 1;  // never reused, across connections too
  std::map<std::uint64_t, Asked> by_id_;
};

}  // namespace chat::client
