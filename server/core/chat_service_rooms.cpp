// The chat core's rooms: creation, deletion (by this node or another), joining, the rooms list.
// A private room (docs/ACCOUNTS.md, Step 3) is created and deleted here like any room, but only its
// members hear of it; its members are in chat_service_private_rooms.cpp.
#include "server/core/chat_service.hpp"

#include "server/log.hpp"
#include "server/names/name_keys.hpp"
#include "server/names/name_rules.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
// A room storm from many connections of one address is stopped by the per-address limit, and
// from many addresses by the cap; seed clients then get one list per interval, not per room.
void ChatService::handle(const Request& request, const CreateRoom& create) {
  const AccountId owner = create.is_private ? find(request.session)->account : 0;
  if (create.is_private && owner == 0) return refuse(request, Error{ErrorCode::not_allowed, "guests cannot own private rooms"});
  if (auto error = check_room(create.room, options_.limits)) return refuse(request, *error);
  if (rooms_.in_use(create.room)) return refuse(request, Error{ErrorCode::room_exists, create.room});
  if (rooms_.count() - private_rooms_.conversations() + rooms_being_created_ >= options_.max_rooms) {
    return refuse(request, Error{ErrorCode::too_many_rooms, std::to_string(options_.max_rooms) + " rooms"});
  }
  const SessionId id = request.session;
  const std::int64_t now = clock_.now_ms();
  const std::string& address = find(id)->address;
  if (const std::int64_t wait = room_creations_.wait_ms(address, now)) {
    return refuse_rate_limited(request, wait, "too many new rooms from your address; ");
  }
  room_creations_.take(address, now);
  rooms_.hold(create.room);
  ++rooms_being_created_;
  room_changes_[create.room] = id;
  StoredRoom room{create.room, 0, *names_.name_of(id), now, "", create.is_private, owner, {}};
  if (owner != 0) room.members.push_back(owner);
  engine_.create_room(room, in_order(id, RequestOrder::Work::other,
                      [this, id, name = create.room, is_private = create.is_private, request_id = request.request_id](RoomOutcome outcome) {
    rooms_.unhold(name);  // if the inbox has not had it (a failure)
    --rooms_being_created_;
    room_changes_.erase(name);
    const Request later{id, request_id};
    if (!find(id)) return;
    if (outcome == RoomOutcome::conflict) return refuse(later, Error{ErrorCode::room_exists, name});
    if (outcome == RoomOutcome::failed) {
      return refuse(later, Error{ErrorCode::store_unavailable, "room " + name + " not created"});
    }
    MessageFrame created = notice(Event::room_created, "Room " + name + " created", "", name);
    created.is_private = is_private;
    reply(later, std::move(created));
    if (!is_private) rooms_changed();  // held back by the inbox until the creator had its answer
  }));
}

void ChatService::add_room(const StoredRoom& room) {
  const auto existing = rooms_.find(room.name);  // general exists from the start
  const RoomId id = existing ? *existing : rooms_.create(room.name);
  if (id >= room_creator_.size()) room_creator_.resize(id + 1);
  feeds_.insert_or_assign(id, RoomFeed(room.epoch, room.last_line_id));
  room_creator_[id] = room.creator;
  if (is_dm_room_name(room.name)) {
    private_rooms_.add_room(room.name, 0, conversation_people(room.name));
  } else if (room.is_private) {
    private_rooms_.add_room(room.name, room.owner, room.members);
  }
  for (const AccountId member : private_rooms_.members(room.name)) follow_if_held(member, room.name);
  rooms_frame_.reset();
}

// From any node, this one's own creations included (before their requests complete).
void ChatService::room_created(const StoredRoom& room) {
  if (rooms_.find(room.name)) return;  // a repeat
  const SessionId creator = changing_room(room.name);
  if (creator != 0) rooms_.unhold(room.name);
  if (!is_dm_room_name(room.name) && rooms_.in_use(room.name)) {
    // Another node's look-alike of a room here: the engine keeps names unique, so this is a race
    // the engine has already settled; the next restart shows its answer.
    log_line(LogLevel::warn, "rooms: %s from another node collides with a room here; ignored", room.name.c_str());
    return;
  }
  add_room(room);
  if (is_dm_room_name(room.name)) return;  // never on the wire: its first line tells its people
  announce_room_change(Event::room_created, room.name, creator);
  if (room.is_private) return;  // seed clients' list is of public rooms
  if (creator == 0) return rooms_changed();
  rooms_list_owed_ = true;  // sent once the creator has its answer, which a seed client reads first
}

SessionId ChatService::changing_room(const std::string& room) const {
  const auto found = room_changes_.find(room);
  return found == room_changes_.end() ? 0 : found->second;
}

// Only the name that created the room may delete it (by identity key: a look-alike of an absent
// creator could log in, the creator's own spelling in other case or width is the creator); general and
// rooms from before deletion existed have no creator. The history goes with the room.
void ChatService::handle(const Request& request, const DeleteRoom& del) {
  if (auto error = check_room(del.room, options_.limits)) return refuse(request, *error);
  const AccountId account = find(request.session)->account;
  const auto room = visible_room(del.room, account);
  if (!room || rooms_being_deleted_.count(*room) > 0) return refuse(request, Error{ErrorCode::no_such_room, del.room});
  if (!is_public(del.room)) {  // its owner is an account: any of its spellings and devices
    if (private_rooms_.owner(del.room) != account) {
      return refuse(request, Error{ErrorCode::not_allowed, "only the room's owner may delete it"});
    }
  } else if (const std::string& creator = room_creator_[*room];
             creator.empty() || name_keys(creator).identity != name_keys(*names_.name_of(request.session)).identity) {
    return refuse(request, Error{ErrorCode::not_allowed, "only the room's creator may delete it"});
  }
  rooms_being_deleted_.insert(*room);
  room_changes_[del.room] = request.session;
  const SessionId id = request.session;
  engine_.delete_room(del.room, in_order(id, RequestOrder::Work::other,
                      [this, id, room = *room, name = del.room, was_private = !is_public(del.room),
                       request_id = request.request_id](RoomOutcome outcome) {
    rooms_being_deleted_.erase(room);
    room_changes_.erase(name);
    const Request later{id, request_id};
    if (!find(id)) return;
    if (outcome == RoomOutcome::conflict) return refuse(later, Error{ErrorCode::no_such_room, name});
    if (outcome == RoomOutcome::failed) {
      return refuse(later, Error{ErrorCode::store_unavailable, "room " + name + " not deleted"});
    }
    reply(later, notice(Event::room_deleted, "Room " + name + " deleted", "", name));
    if (!was_private) rooms_changed();
  }));
}

// From any node, this one's own deletions included (before their requests complete).
void ChatService::room_deleted(const std::string& name) {
  const auto room = rooms_.find(name);
  if (!room || *room == RoomRegistry::kGeneral) return;
  const SessionId deleter = changing_room(name);
  const bool was_public = is_public(name);
  announce_room_change(Event::room_deleted, name, deleter);
  remote_members_.room_gone(name);  // their nodes move them to general, and say so
  remove_room(*room);
  if (!was_public) return;
  if (deleter == 0) return rooms_changed();
  rooms_list_owed_ = true;
}

// Its members go back to general, as if they had joined it.
void ChatService::remove_room(RoomId room) {
  const std::vector<SessionId> members = rooms_.members(room);  // a copy: place() changes the list
  for (const SessionId member : members) {
    person_changes(room, member, false);  // the room's id may be reused: no account stays counted in it
    rooms_.place(member, RoomRegistry::kGeneral);
    send_frame(member, notice(Event::joined, "You joined general", "", std::string(RoomRegistry::kGeneralName)));
    enter_room(member, RoomRegistry::kGeneral, true);
  }
  markers_.forget_room(rooms_.name(room));  // the engine deleted them with it
  private_rooms_.remove_room(rooms_.name(room));
  rooms_.remove_room(room);
  const auto feed = feeds_.find(room);
  std::vector<RoomFeed::Waiter> waiting = feed->second.take_waiters();
  feeds_.erase(feed);
  room_creator_[room].clear();
  for (auto& waiter : waiting) waiter();  // their lines' senders hear that the room went
  rooms_frame_.reset();
}

// A private room's: its members' sessions only (accounts: all version 2).
void ChatService::announce_room_change(Event event, const std::string& room, SessionId except) {
  const bool created = event == Event::room_created;
  MessageFrame notice_frame = notice(event, "Room " + room + (created ? " created" : " was deleted"), "", room);
  notice_frame.is_private = created && !is_public(room);
  const SharedText frame = share(encode(ServerFrame{notice_frame}));
  if (!is_public(room)) {
    for (const AccountId member : private_rooms_.members(room)) {
      const auto sessions = account_sessions_.find(member);
      if (sessions == account_sessions_.end()) continue;
      for (const SessionId session : sessions->second) {
        if (session != except) transport_.send(session, frame);
      }
    }
    return;
  }
  const auto in_room = rooms_.find(room);
  for (const auto& [session, state] : sessions_) {
    const bool was_in_it = !created && in_room && rooms_.room_of(session) == in_room;
    if (session != except && (state.version >= kCurrentVersion || was_in_it)) transport_.send(session, frame);
  }
}

void ChatService::rooms_changed() {
  rooms_list_owed_ = true;
  send_rooms_list_if_due(clock_.now_ms());
}

// Not while a creation or deletion of this node's is between the inbox and its answer (a cluster
// engine may report the change before it answers): its seed client reads the answer first.
void ChatService::send_rooms_list_if_due(std::int64_t now) {
  if (!rooms_list_owed_ || now < next_rooms_list_ms_ || !room_changes_.empty()) return;
  rooms_list_owed_ = false;
  next_rooms_list_ms_ = now + options_.rooms_list_interval_ms;
  const SharedText frame = rooms_frame();
  for (const auto& [session, state] : sessions_) {
    if (state.version < kCurrentVersion) transport_.send(session, frame);
  }
}

void ChatService::handle(const Request& request, const JoinRoom& join) {
  if (auto error = validate_room(join.room, options_.limits)) return refuse(request, *error);
  const auto room = visible_room(join.room, find(request.session)->account);
  if (!room) return refuse(request, Error{ErrorCode::no_such_room, join.room});
  const bool moving = rooms_.room_of(request.session) != room;
  if (moving) {
    announce(*rooms_.room_of(request.session), request.session, false);
    rooms_.place(request.session, *room);
  }
  reply(request, notice(Event::joined, "You joined " + join.room, "", join.room));
  enter_room(request.session, *room, moving);
}

// What a logged-in session gets on entering a room (or re-joining it): v2 sessions receive the
// members and the latest lines; on a real arrival, the room's v2 members hear of it.
void ChatService::enter_room(SessionId session, RoomId room, bool arrival) {
  if (arrival) announce(room, session, true);
  if (find(session)->version < kCurrentVersion) return;
  catch_up(session, room, 0);
}

SharedText ChatService::rooms_frame() {
  if (!rooms_frame_) rooms_frame_ = share(encode(ServerFrame{RoomsFrame{public_room_names(), {}, {}}}));
  return rooms_frame_;
}

}  // namespace chat
