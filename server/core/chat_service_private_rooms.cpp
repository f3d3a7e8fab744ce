// The chat core's private rooms (docs/ACCOUNTS.md, Step 3): who may see a room (one check for
// every route), invite, remove_member, room_members, the engine's member changes from any node,
// and an account's own rooms list. Creation and deletion are a room's (chat_service_rooms.cpp).
//
// member_added / member_removed reach each session once: the requester through its reply (its
// request is in member_changes_ while the engine works, and the inbox, which hears this node's own
// change before the request completes, skips it), everyone else through the inbox.
#include "server/core/chat_service.hpp"

#include <algorithm>
#include <unordered_set>

#include "server/names/name_keys.hpp"
#include "server/names/name_rules.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {

MessageFrame member_notice(Event event, const std::string& room, const std::string& user) {
  const bool added = event == Event::member_added;
  return notice(event, user + (added ? " joined the members of " : " is no longer a member of ") + room, user, room);
}

}  // namespace

std::optional<RoomId> ChatService::visible_room(const std::string& name, AccountId account) const {
  if (is_dm_room_name(name)) return std::nullopt;
  const auto room = rooms_.find(name);
  if (!room || is_public(name) || private_rooms_.is_member(name, account)) return room;
  return std::nullopt;
}

bool ChatService::is_public(const std::string& room) const { return !private_rooms_.is_private(room); }

std::vector<std::string> ChatService::public_room_names() const {
  std::vector<std::string> names = rooms_.names();
  names.erase(std::remove_if(names.begin(), names.end(), [this](const std::string& name) { return !is_public(name); }),
              names.end());
  return names;
}

std::optional<AccountId> ChatService::account_named(const std::string& name) const {
  if (check_name(name, options_.limits)) return std::nullopt;  // no account has a name the rules refuse
  return accounts_.by_identity(name_keys(name));
}

const std::string& ChatService::account_name(AccountId account) const {
  static const std::string kUnknown;
  const auto* known = accounts_.find(account);
  return known ? known->name : kUnknown;
}

// Its own rooms list, then its unread counts (chat_service_unread.cpp).
void ChatService::account_session_ready(SessionId session) {
  const Session* state = find(session);
  if (!state || state->account == 0) return;
  auto& sessions = account_sessions_[state->account];
  if (std::find(sessions.begin(), sessions.end(), session) == sessions.end()) sessions.push_back(session);
  send_own_rooms(session, state->account);
  counts_on_login(session, state->account);
}

// The account's own list: every public room, then its private rooms (again in `private_rooms`),
// and the other people of its conversations in `dms`; only when it has any of those.
void ChatService::send_own_rooms(SessionId session, AccountId account) {
  const std::vector<std::string> mine = private_rooms_.rooms_of(account);
  if (mine.empty()) return;
  RoomsFrame frame{public_room_names(), {}, {}};
  std::vector<std::string> others;  // of its conversations, in order of their creation
  for (const std::string& room : mine) {
    if (!is_dm_room_name(room)) {
      frame.rooms.push_back(room);
      frame.private_rooms.push_back(room);
      continue;
    }
    for (const AccountId member : private_rooms_.members(room)) {
      if (member != account) others.push_back(account_name(member));
    }
  }
  // An account may have begun more conversations than one frame can name (60 an hour add up).
  frame.dms = newest_that_fit(others, Limits{}.max_frame_bytes - 10 /* ,"dms":[] */, encode(ServerFrame{frame}).size());
  send_frame(session, frame);
}

void ChatService::forget_account_session(SessionId session, Session& state) {
  const auto found = account_sessions_.find(state.account);
  if (state.account == 0 || found == account_sessions_.end()) return;
  auto& sessions = found->second;
  sessions.erase(std::remove(sessions.begin(), sessions.end(), session), sessions.end());
  if (!sessions.empty()) return;
  account_sessions_.erase(found);
  markers_.forget(state.account);  // read again when it comes back: other nodes may have raised them
}

// ---- invite, remove_member, room_members ------------------------------------------------------

void ChatService::handle(const Request& request, const InviteMember& invite) {
  if (auto error = validate_room(invite.room, options_.limits)) return refuse(request, *error);
  const AccountId self = find(request.session)->account;
  if (!visible_room(invite.room, self)) return refuse(request, Error{ErrorCode::no_such_room, invite.room});
  if (is_public(invite.room)) return refuse(request, Error{ErrorCode::not_allowed, "a public room is open to all"});
  if (private_rooms_.owner(invite.room) != self) {
    return refuse(request, Error{ErrorCode::not_allowed, "only the room's owner may invite"});
  }
  const auto invitee = account_named(invite.user);
  if (!invitee) return refuse(request, Error{ErrorCode::no_such_account, invite.user});
  if (private_rooms_.is_member(invite.room, *invitee)) {  // nothing to change: answered all the same
    return reply(request, member_notice(Event::member_added, invite.room, account_name(*invitee)));
  }
  if (private_rooms_.full(invite.room, options_.max_room_members, invitations_in_flight(invite.room))) {
    return refuse(request, Error{ErrorCode::too_many_members, std::to_string(options_.max_room_members) + " members"});
  }
  change_member(request, Event::member_added, invite.room, *invitee);
}

// The owner removes anyone but themselves (they delete the room instead); a member removes
// themselves (leaves).
void ChatService::handle(const Request& request, const RemoveMember& removal) {
  if (auto error = validate_room(removal.room, options_.limits)) return refuse(request, *error);
  const AccountId self = find(request.session)->account;
  if (!visible_room(removal.room, self)) return refuse(request, Error{ErrorCode::no_such_room, removal.room});
  if (is_public(removal.room)) return refuse(request, Error{ErrorCode::not_allowed, "a public room is open to all"});
  const auto removed = account_named(removal.user);
  if (!removed) return refuse(request, Error{ErrorCode::no_such_account, removal.user});
  const AccountId owner = private_rooms_.owner(removal.room);
  if (self != owner && *removed != self) {
    return refuse(request, Error{ErrorCode::not_allowed, "only the room's owner may remove others"});
  }
  if (*removed == owner) return refuse(request, Error{ErrorCode::not_allowed, "the owner stays: delete the room instead"});
  if (!private_rooms_.is_member(removal.room, *removed)) {
    return reply(request, member_notice(Event::member_removed, removal.room, account_name(*removed)));
  }
  change_member(request, Event::member_removed, removal.room, *removed);
}

void ChatService::handle(const Request& request, const ListRoomMembers& list) {
  if (auto error = validate_room(list.room, options_.limits)) return refuse(request, *error);
  if (!visible_room(list.room, find(request.session)->account)) {
    return refuse(request, Error{ErrorCode::no_such_room, list.room});
  }
  if (is_public(list.room)) return refuse(request, Error{ErrorCode::not_allowed, "a public room has no member list"});
  RoomMembersFrame frame{list.room, account_name(private_rooms_.owner(list.room)), {}, request.request_id};
  for (const AccountId member : private_rooms_.members(list.room)) frame.members.push_back(account_name(member));
  send_frame(request.session, frame);
}

void ChatService::change_member(const Request& request, Event event, const std::string& room, AccountId account) {
  const SessionId id = request.session;
  const auto change = std::make_tuple(room, account, id);
  member_changes_.emplace(change, event);
  auto done = in_order(id, RequestOrder::Work::other,
                       [this, id, event, change, request_id = request.request_id](RoomOutcome outcome) {
    member_changes_.erase(change);
    if (!find(id)) return;
    const Request later{id, request_id};
    const std::string& room = std::get<0>(change);
    if (outcome == RoomOutcome::conflict) return refuse(later, Error{ErrorCode::no_such_room, room});
    if (outcome == RoomOutcome::failed) return refuse(later, Error{ErrorCode::store_unavailable, "members not changed"});
    reply(later, member_notice(event, room, account_name(std::get<1>(change))));
  });
  if (event == Event::member_added) return engine_.add_room_member(room, account, std::move(done));
  engine_.remove_room_member(room, account, std::move(done));
}

std::size_t ChatService::invitations_in_flight(const std::string& room) const {
  std::size_t count = 0;
  for (auto it = member_changes_.lower_bound({room, 0, 0}); it != member_changes_.end() && std::get<0>(it->first) == room; ++it) {
    count += it->second == Event::member_added;
  }
  return count;
}

// ---- the engine's member changes, from any node --------------------------------------------

void ChatService::room_member_added(const std::string& room, AccountId account) {
  if (!private_rooms_.add_member(room, account)) return;  // a repeat changes nothing
  follow_if_held(account, room);
  if (is_dm_room_name(room)) return;
  tell_member_change(Event::member_added, room, account);
}

void ChatService::room_member_removed(const std::string& room, AccountId account) {
  if (!private_rooms_.remove_member(room, account)) return;
  markers_.unfollow(account, room);  // its count goes with what it may see
  if (is_dm_room_name(room)) return;
  tell_member_change(Event::member_removed, room, account);
  move_out_of_room(room, account);
}

// To every session of the person added or removed, and every session in the room, once each;
// not to a requester on this node, which gets the reply.
void ChatService::tell_member_change(Event event, const std::string& room, AccountId account) {
  const SharedText frame = share(encode(ServerFrame{member_notice(event, room, account_name(account))}));
  std::unordered_set<SessionId> told;
  const auto tell = [&](SessionId session) {
    if (member_changes_.count(std::make_tuple(room, account, session)) > 0) return;
    if (told.insert(session).second) transport_.send(session, frame);
  };
  if (const auto sessions = account_sessions_.find(account); sessions != account_sessions_.end()) {
    for (const SessionId session : sessions->second) tell(session);
  }
  if (const auto id = rooms_.find(room)) {
    for (const SessionId session : rooms_.listeners(*id)) tell(session);
  }
}

void ChatService::move_out_of_room(const std::string& name, AccountId account) {
  const auto room = rooms_.find(name);
  if (!room) return;
  std::vector<SessionId> leaving;
  for (const SessionId member : rooms_.members(*room)) {
    if (find(member)->account == account) leaving.push_back(member);
  }
  for (const SessionId member : leaving) {
    announce(*room, member, false);
    rooms_.place(member, RoomRegistry::kGeneral);
    send_frame(member, notice(Event::joined, "You joined general", "", std::string(RoomRegistry::kGeneralName)));
    enter_room(member, RoomRegistry::kGeneral, true);
  }
}

}  // namespace chat
