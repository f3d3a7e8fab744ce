// The chat core's typing notices (docs/ACCOUNTS.md, step 4): never stored, never answered. A room's
// go to its v2 sessions but the typer's own; a direct one to every session of the other account.
// At most one per typing_interval_ms per connection is passed on; the rest are dropped silently
// (a client sends one per burst of keystrokes: an answer to each would be noise).
#include "server/core/chat_service.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
void ChatService::handle(const Request& request, const Typing& typing) {
  if (!typing.dm.empty()) return typing_direct(request, typing.dm);
  typing_in_room(request, typing.room);
}

void ChatService::typing_in_room(const Request& request, const std::string& room) {
  if (auto error = validate_room(room, options_.limits)) return refuse(request, *error);
  Session& session = *find(request.session);
  const RoomId here = *rooms_.room_of(request.session);
  if (session.version < kCurrentVersion || rooms_.name(here) != room) {
    return refuse(request, Error{ErrorCode::not_allowed, "you are not in room " + room});
  }
  if (!typing_due(session)) return;
  const std::string& user = *names_.name_of(request.session);
  if (engine_.cluster()) engine_.announce_typing(room, user);
  tell_typing_in_room(here, user);
}

void ChatService::typing_direct(const Request& request, const std::string& dm) {
  Session& session = *find(request.session);
  const auto other = direct_partner(request, dm);
  if (!other) return;
  const AccountId self = session.account;
  if (!typing_due(session)) return;
  const std::string& user = account_name(self);
  // The conversation's stored name, whether or not it has a line yet: the name says its people.
  if (engine_.cluster()) engine_.announce_typing(dm_room_name(self, *other), user);
  const auto sessions = account_sessions_.find(*other);
  if (sessions == account_sessions_.end()) return;
  const SharedText frame = share(encode(ServerFrame{TypingFrame{"", user, user}}));
  for (const SessionId receiver : sessions->second) transport_.send(receiver, frame);
}

bool ChatService::typing_due(Session& session) {
  const std::int64_t now = clock_.now_ms();
  if (now < session.next_typing_ms) return false;
  session.next_typing_ms = now + options_.typing_interval_ms;
  return true;
}

// Its listeners are its v2 sessions that have had their login's answer; none of the typer's name
// (the typer's own devices, an account's on any node).
void ChatService::tell_typing_in_room(RoomId room, const std::string& user) {
  SharedText frame;
  for (const SessionId listener : rooms_.listeners(room)) {
    const std::string* name = names_.name_of(listener);
    if (!name || *name == user) continue;
    if (!frame) frame = share(encode(ServerFrame{TypingFrame{rooms_.name(room), "", user}}));
    transport_.send(listener, frame);
  }
}

// From another node. A conversation's stored name: to the account of it that is not the typer.
void ChatService::typing(const std::string& room, const std::string& user, const std::string&) {
  if (!is_dm_room_name(room)) {
    if (const auto id = rooms_.find(room)) tell_typing_in_room(*id, user);
    return;
  }
  const std::vector<AccountId> people = conversation_people(room);
  if (people.size() != 2) return;
  for (std::size_t typer = 0; typer < 2; ++typer) {
    if (account_name(people[typer]) != user) continue;
    const auto sessions = account_sessions_.find(people[1 - typer]);
    if (sessions == account_sessions_.end()) return;
    const SharedText frame = share(encode(ServerFrame{TypingFrame{"", user, user}}));
    for (const SessionId receiver : sessions->second) transport_.send(receiver, frame);
    return;
  }
}

}  // namespace chat
