// The chat core's direct conversations (docs/ACCOUNTS.md, Step 3). A conversation is a private
// room with no owner and its two accounts as members, named dm_room_name(a, b), a name no person
// can type: created through the engine on its first line, then published to like any room, so its
// ids, history and durability are a room's. Its lines go to every session of both accounts,
// wherever they are, with `dm` naming the other person as the receiver sees it, and no room.
#include "server/core/chat_service.hpp"

#include <algorithm>

#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {
const Error kNoGuests{ErrorCode::not_allowed, "guests have no direct conversations: sign in"};
const Error kNotOneself{ErrorCode::not_allowed, "a conversation is with someone else"};
}  // namespace

std::optional<AccountId> ChatService::direct_partner(const Request& request, const std::string& dm) {
  const AccountId self = find(request.session)->account;
  if (self == 0) return refuse(request, kNoGuests), std::nullopt;
  const auto other = account_named(dm);
  if (!other) return refuse(request, Error{ErrorCode::no_such_account, dm}), std::nullopt;
  if (*other == self) return refuse(request, kNotOneself), std::nullopt;
  return other;
}

void ChatService::send_direct(const Request& request, const SendMessage& send) {
  if (auto error = validate_text(send.message, options_.limits)) return refuse(request, *error);
  const auto other = direct_partner(request, send.dm);
  if (!other) return;
  const AccountId self = find(request.session)->account;
  if (!engine_.available()) return refuse(request, Error{ErrorCode::store_unavailable, "line not sent"});
  if (engine_.pending() >= options_.max_store_backlog) return refuse(request, Error{ErrorCode::server_busy, ""});
  const std::string name = dm_room_name(self, *other);
  if (const auto room = rooms_.find(name)) return publish_line(request, *room, send.message);
  if (conversations_opening_.count(name) == 0 && !may_open_conversation(request, self)) return;
  const SessionId id = request.session;
  open_conversation(name, self, *other, in_order(id, RequestOrder::Work::other,
      [this, id, name, text = send.message, request_id = request.request_id](RoomOutcome) {
        if (!find(id)) return;
        const Request later{id, request_id};
        // Whatever the outcome, the room is there or not: a conflict is another node's creation.
        const auto room = rooms_.find(name);
        if (!room) return refuse(later, Error{ErrorCode::store_unavailable, "conversation not opened"});
        publish_line(later, *room, text);
      }));
}

// The caps, counted against whoever opens a conversation: false after refusing.
bool ChatService::may_open_conversation(const Request& request, AccountId self) {
  if (private_rooms_.conversations() + conversations_opening_.size() >= options_.max_conversations) {
    refuse(request, Error{ErrorCode::too_many_rooms, std::to_string(options_.max_conversations) + " conversations"});
    return false;
  }
  const std::string key = std::to_string(self);
  const std::int64_t now = clock_.now_ms();
  if (const std::int64_t wait = conversation_openings_.wait_ms(key, now)) {
    refuse_rate_limited(request, wait, "too many new conversations; ");
    return false;
  }
  conversation_openings_.take(key, now);
  return true;
}

// One creation per conversation on this node: the other person's first line, sent meanwhile,
// waits for the same one.
void ChatService::open_conversation(const std::string& name, AccountId self, AccountId other,
                                    std::function<void(RoomOutcome)> then) {
  auto& waiting = conversations_opening_[name];
  waiting.push_back(std::move(then));
  if (waiting.size() > 1) return;
  const auto [low, high] = std::minmax(self, other);
  const StoredRoom room{name, 0, "", clock_.now_ms(), "", true, 0, {low, high}};
  engine_.create_room(room, [this, name](RoomOutcome outcome) {
    auto opened = std::move(conversations_opening_[name]);
    conversations_opening_.erase(name);
    for (auto& next : opened) next(outcome);
  });
}

void ChatService::deliver_direct(RoomId room, const ChatLine& line) {
  const std::vector<AccountId>& people = private_rooms_.members(rooms_.name(room));
  if (people.size() != 2) return;
  for (std::size_t receiver = 0; receiver < 2; ++receiver) {
    const auto sessions = account_sessions_.find(people[receiver]);
    if (sessions == account_sessions_.end()) continue;
    MessageFrame frame = chat_line("", line, true);
    frame.dm = account_name(people[1 - receiver]);
    const SharedText text = share(encode(ServerFrame{frame}));
    for (const SessionId session : sessions->second) transport_.send(session, text);
    metrics_.deliveries += sessions->second.size();
  }
}

// A conversation not begun yet has no lines: an empty page, not a refusal.
void ChatService::history_direct(const Request& request, const History& history) {
  const auto other = direct_partner(request, history.dm);
  if (!other) return;
  const AccountId self = find(request.session)->account;
  const std::string name = dm_room_name(self, *other);
  const std::string& shown = account_name(*other);
  if (!rooms_.find(name)) return send_frame(request.session, HistoryFrame{"", {}, false, request.request_id, shown});
  read_page(request, LineQuery{name, 0, history.before_id, history.limit}, "", shown);
}

}  // namespace chat
