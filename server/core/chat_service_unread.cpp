// The chat core's read markers and unread counts (docs/ACCOUNTS.md, step 4): mark_read, the
// counts an account's sessions get after signing in and whenever one changes, and the markers of
// this node's accounts (ReadMarkers) kept up to date from the engine's inbox.
//
// Counts come from memory: the room's feed knows its last id and its void ids (RoomFeed::
// lines_after), the account's marker its last read id. A mark_read's new count reaches the
// requester once, through its reply (its request is in marks_in_flight_ while the engine works,
// and the inbox, which hears this node's own raise before the request completes, skips it), and
// every other session of the account through the inbox: the pattern of member changes.
#include <algorithm>

#include "server/core/chat_service.hpp"
#include "server/log.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {
const Error kNoGuests{ErrorCode::not_allowed, "guests have no read markers: sign in"};
// One login's counts go in frames of at most this many rooms: an entry is at most ~350 bytes (a
// name of 32 code points escaped, three numbers), so a frame stays under the clients' 256 KiB.
constexpr std::size_t kCountsPerFrame = 500;
}  // namespace

void ChatService::handle(const Request& request, const MarkRead& mark) {
  const AccountId self = find(request.session)->account;
  if (self == 0) return refuse(request, kNoGuests);
  if (!mark.dm.empty()) {
    const auto other = direct_partner(request, mark.dm);
    if (!other) return;
    const std::string name = dm_room_name(self, *other);
    if (rooms_.find(name)) return mark_read(request, self, name, mark.id);
    UnreadCount nothing_yet;  // a conversation with no line: nothing to read, nothing stored
    nothing_yet.dm = account_name(*other);
    return send_frame(request.session, UnreadFrame{{nothing_yet}, request.request_id});
  }
  if (auto error = validate_room(mark.room, options_.limits)) return refuse(request, *error);
  if (!visible_room(mark.room, self)) return refuse(request, Error{ErrorCode::no_such_room, mark.room});
  mark_read(request, self, mark.room, mark.id);
}

// Beyond the room's last id is read as the last id; at or below the marker changes nothing and is
// answered at once (when the account's markers are known here, not still loading).
void ChatService::mark_read(const Request& request, AccountId account, const std::string& room, std::int64_t id) {
  const std::int64_t upto = std::min(id, feeds_.at(*rooms_.find(room)).last_id());
  const Marker* marker = markers_.find(account, room);
  const bool known = markers_.holds(account) && !markers_.loading(account);
  if (upto <= 0 || (known && upto <= (marker ? marker->last_read_id : 0))) {  // nothing read: nothing to store
    return send_unread(request.session, account, room, request.request_id);
  }
  if (!engine_.available()) return refuse(request, Error{ErrorCode::store_unavailable, "read marker not stored"});
  const auto flight = std::make_tuple(room, account, request.session);
  marks_in_flight_.insert(flight);
  const SessionId id_of_session = request.session;
  engine_.raise_read_marker(account, room, upto, in_order(id_of_session, RequestOrder::Work::other,
                            [this, flight, upto, request_id = request.request_id](bool ok) {
    marks_in_flight_.erase(flight);
    const auto& [room, account, session] = flight;
    if (!find(session)) return;
    if (!ok) return refuse(Request{session, request_id}, Error{ErrorCode::store_unavailable, "read marker not stored"});
    send_unread(session, account, room, request_id, upto);
  }));
}

UnreadCount ChatService::unread_count(AccountId account, const std::string& room, std::int64_t read_at_least) const {
  UnreadCount count;
  if (is_dm_room_name(room)) {
    for (const AccountId person : conversation_people(room)) {
      if (person != account) count.dm = account_name(person);
    }
  } else {
    count.room = room;
  }
  const Marker* marker = markers_.find(account, room);
  count.last_read_id = std::max(marker ? marker->last_read_id : 0, read_at_least);
  const auto id = rooms_.find(room);
  count.count = id ? feeds_.at(*id).lines_after(count.last_read_id) : 0;
  count.mention = marker && marker->last_mention_id > count.last_read_id;
  return count;
}

void ChatService::send_unread(SessionId session, AccountId account, const std::string& room,
                              const std::string& request_id, std::int64_t read_at_least) {
  send_frame(session, UnreadFrame{{unread_count(account, room, read_at_least)}, request_id});
}

// ---- after a login or resume ------------------------------------------------------------------

void ChatService::counts_on_login(SessionId session, AccountId account) {
  if (markers_.hold(account)) {  // its first session here: it follows its private rooms at once
    for (const std::string& room : private_rooms_.rooms_of(account)) markers_.follow(account, room);
    engine_.read_markers(account, [this, account](bool ok, std::vector<ReadMarker> stored) {
      markers_loaded(account, ok, stored);
    });
    return;
  }
  if (!markers_.loading(account)) send_all_counts(session, account);  // else: when they are loaded
}

// Every session of the account that became ready meanwhile gets the counts now. A failed read
// sends nothing: counts made from half the markers would be wrong; the next session retries.
void ChatService::markers_loaded(AccountId account, bool ok, const std::vector<ReadMarker>& stored) {
  if (!markers_.holds(account)) return;  // its sessions went meanwhile
  if (!ok) {
    log_line(LogLevel::warn, "engine: could not read the read markers of account %lld; no unread counts for it",
             static_cast<long long>(account));
    markers_.forget(account);
    return;
  }
  std::vector<ReadMarker> visible;  // a room deleted, or left, since the marker was stored: none
  for (const ReadMarker& marker : stored) {
    if (may_see(account, marker.room)) visible.push_back(marker);
  }
  if (!markers_.loaded(account, visible)) return;  // a second load, racing the first: merged only
  const auto sessions = account_sessions_.find(account);
  if (sessions == account_sessions_.end()) return;
  for (const SessionId session : sessions->second) send_all_counts(session, account);
}

// Nothing when the account follows no room yet.
void ChatService::send_all_counts(SessionId session, AccountId account) {
  UnreadFrame frame;
  for (const auto& [room, marker] : markers_.rooms_of(account)) {
    frame.unread.push_back(unread_count(account, room));
    if (frame.unread.size() == kCountsPerFrame) send_frame(session, std::exchange(frame, {}));
  }
  if (!frame.unread.empty()) send_frame(session, frame);
}

bool ChatService::may_see(AccountId account, const std::string& room) const {
  if (!rooms_.find(room)) return false;
  return is_public(room) || private_rooms_.is_member(room, account);
}

void ChatService::follow_if_held(AccountId account, const std::string& room) {
  if (markers_.holds(account) && may_see(account, room)) markers_.follow(account, room);
}

// ---- live: markers raised on any node, lines ----------------------------------------------------

// Every session of the account but a requester on this node (it gets the reply). A repeat, or a
// raise while the account's markers load (their counts follow the load), tells nobody.
void ChatService::read_marker_raised(AccountId account, const std::string& room, std::int64_t id) {
  if (!markers_.holds(account) || !may_see(account, room) || !markers_.raise_read(account, room, id)) return;
  const auto sessions = account_sessions_.find(account);
  if (markers_.loading(account) || sessions == account_sessions_.end()) return;
  const SharedText frame = share(encode(ServerFrame{UnreadFrame{{unread_count(account, room)}, ""}}));
  for (const SessionId session : sessions->second) {
    if (marks_in_flight_.count(std::make_tuple(room, account, session)) == 0) transport_.send(session, frame);
  }
}

// A session in the room sees the lines themselves (its client marks them read); one in another
// room gets the count. No session is in a conversation: each of the receiver's gets it.
void ChatService::count_lines(RoomId room, const std::vector<ChatLine>& lines) {
  const std::string& name = rooms_.name(room);
  const auto& followers = markers_.followers(name);
  if (lines.empty() || followers.empty()) return;
  const bool direct = is_dm_room_name(name);
  for (const AccountId account : followers) {
    const auto sessions = account_sessions_.find(account);
    if (markers_.loading(account) || sessions == account_sessions_.end()) continue;
    const std::string& own = account_name(account);
    if (std::all_of(lines.begin(), lines.end(), [&](const ChatLine& line) { return line.user == own; })) continue;
    SharedText frame;
    for (const SessionId session : sessions->second) {
      if (!direct && rooms_.room_of(session) == room) continue;
      if (!frame) frame = share(encode(ServerFrame{UnreadFrame{{unread_count(account, name)}, ""}}));
      transport_.send(session, frame);
    }
  }
}

// Both only rise, so a failure loses little: the author's next line or read raises the marker.
void ChatService::line_stored(AccountId author, const std::string& author_name, const std::string& room,
                              std::int64_t id, const std::string& text) {
  const auto warn_if_failed = [room](bool ok) {
    if (!ok) log_line(LogLevel::warn, "engine: a read marker or mention in %s was not stored", room.c_str());
  };
  if (author != 0) engine_.raise_read_marker(author, room, id, warn_if_failed);
  const std::vector<AccountId> mentioned = mentioned_accounts(room, text, author_name);
  if (!mentioned.empty()) engine_.raise_mentions(mentioned, room, id, warn_if_failed);
}

}  // namespace chat
