// RedisEngine's rooms and private rooms' members: creation and deletion (one script each, so a
// room, its name keys, its lines and its members come and go together), member changes (one
// script each, idempotent), the messages that tell every node, and the re-read after a lost
// pub/sub link. A direct conversation is a room whose name (dm_room_name) no person can type: it
// takes no name keys. Each change reaches this node's inbox before the request completes, and
// again from pub/sub (the core ignores repeats). See docs/CLUSTER.md.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/engine/redis/redis_engine.hpp"
#include "server/engine/redis/redis_room_codec.hpp"
#include "server/log.hpp"

namespace chat::redis {
namespace {

bool has(const std::vector<AccountId>& members, AccountId account) {
  return std::find(members.begin(), members.end(), account) != members.end();
}

}  // namespace

void RedisEngine::create_room(const StoredRoom& room, RoomDone done) {
  const NameKeys keys = room_name_keys(room.name);
  std::vector<std::string> argv{"EVAL", kCreateRoomScript, "3", keys_.rooms(), keys_.room_keys(),
                                keys_.room_members(room.name), room.name, keys.identity, keys.lookalike,
                                encode_room_record(room), keys_.rooms_channel(), encode_room_created(room)};
  if (room.is_private) {
    for (const AccountId member : room.members) argv.push_back(std::to_string(member));
  }
  ++creating_[room.name].first;
  command(std::move(argv), [this, room, done = std::move(done), asked = room_events_heard_](const RedisReply& reply) {
    auto& creating = creating_[room.name];
    const std::uint64_t last_heard = creating.second;
    if (--creating.first == 0) creating_.erase(room.name);
    if (reply.type == RedisReply::Type::array) {
      if (last_heard <= asked) existing_room_found(room.name, reply);
      return done(RoomOutcome::conflict);
    }
    if (reply.is_error() || reply.type != RedisReply::Type::integer) {
      log_line(LogLevel::warn, "redis: room %.80s not created: %s", room.name.c_str(), reply.text.c_str());
      return done(RoomOutcome::failed);
    }
    if (reply.integer == 0) return done(RoomOutcome::conflict);
    room_appeared(room);  // the inbox first, then the request's answer (the port's rule)
    done(RoomOutcome::done);
  });
}

// Another node created the room first: its creation may not have reached us through pub/sub yet
// (another link), and whoever asked (e.g. a conversation's first line racing the other person's)
// goes on with the room that exists, so it is reported now, before the conflict is answered. Not
// if a message about it came since the request was sent: that message is newer (e.g. a deletion).
void RedisEngine::existing_room_found(const std::string& name, const RedisReply& reply) {
  const auto existing = decode_existing_room(name, reply);
  if (!existing) return log_line(LogLevel::warn, "redis: room record of %.80s is malformed; skipped", name.c_str());
  room_appeared(*existing);
}

void RedisEngine::delete_room(const std::string& name, RoomDone done) {
  const NameKeys keys = room_name_keys(name);
  command({"EVAL", kDeleteRoomScript, "7", keys_.rooms(), keys_.room_keys(), keys_.meta(name), keys_.stream(name),
           keys_.present(name), keys_.room_members(name), keys_.marked_by(name), name, keys.identity, keys.lookalike,
           keys_.rooms_channel(), encode_room_deleted(name), keys_.markers_prefix()},
          [this, name, done = std::move(done)](const RedisReply& reply) {
            if (reply.is_error() || reply.type != RedisReply::Type::integer) {
              log_line(LogLevel::warn, "redis: room %.80s not deleted: %s", name.c_str(), reply.text.c_str());
              return done(RoomOutcome::failed);
            }
            if (reply.integer == 0) return done(RoomOutcome::conflict);
            room_vanished(name);
            done(RoomOutcome::done);
          });
}

void RedisEngine::add_room_member(const std::string& room, AccountId account, RoomDone done) {
  change_member(room, account, /*added=*/true, std::move(done));
}

void RedisEngine::remove_room_member(const std::string& room, AccountId account, RoomDone done) {
  change_member(room, account, /*added=*/false, std::move(done));
}

void RedisEngine::change_member(const std::string& room, AccountId account, bool added, RoomDone done) {
  command({"EVAL", added ? kAddRoomMemberScript : kRemoveRoomMemberScript, "2", keys_.rooms(), keys_.room_members(room),
           room, std::to_string(account), keys_.rooms_channel(),
           encode_room_member_changed(RoomMemberChanged{room, account, added})},
          [this, room, account, added, done = std::move(done)](const RedisReply& reply) {
            if (reply.is_error() || reply.type != RedisReply::Type::integer) {
              log_line(LogLevel::warn, "redis: member of room %.80s not changed: %s", room.c_str(), reply.text.c_str());
              return done(RoomOutcome::failed);
            }
            if (reply.integer == 0) return done(RoomOutcome::conflict);
            member_changed(room, account, added);  // the inbox first, as for rooms
            done(RoomOutcome::done);
          });
}

void RedisEngine::room_appeared(const StoredRoom& room) {
  if (!rooms_.insert(room.name).second) return;
  log_->subscribe(room.name);  // once confirmed, the core reads what was published before
  if (room.is_private) private_members_[room.name] = room.members;
  StoredRoom fresh = room;
  fresh.last_line_id = 0;
  fresh.epoch.clear();
  inbox_->room_created(fresh);
}

void RedisEngine::room_vanished(const std::string& name) {
  if (name == kGeneralRoom || rooms_.erase(name) == 0) return;
  log_->unsubscribe(name);
  private_members_.erase(name);
  members_.room_deleted(name);
  inbox_->room_deleted(name);
}

// Told to the core whether or not it changes anything (repeats are harmless), even for a room this
// node has not heard of yet: its creation, which carries the members it had, may come after the
// script's answer (another link), and then this change again from pub/sub.
void RedisEngine::member_changed(const std::string& room, AccountId account, bool added) {
  if (const auto found = private_members_.find(room); found != private_members_.end()) {
    auto& members = found->second;
    if (added && !has(members, account)) members.push_back(account);
    if (!added) members.erase(std::remove(members.begin(), members.end(), account), members.end());
  }
  if (added) return inbox_->room_member_added(room, account);
  inbox_->room_member_removed(room, account);
}

void RedisEngine::apply_room_event(const std::string& payload) {
  const auto event = decode_room_event(payload);
  if (!event) {
    log_line(LogLevel::warn, "redis: malformed room event skipped");
    return;
  }
  ++room_events_heard_;
  const auto heard = [this](const std::string& room, AccountId account) {
    if (room_resyncs_in_flight_ > 0) room_events_last_heard_[{room, account}] = room_events_heard_;
    if (const auto creating = creating_.find(room); creating != creating_.end() && account == 0) {
      creating->second.second = room_events_heard_;
    }
  };
  if (const auto* created = std::get_if<StoredRoom>(&*event)) {
    heard(created->name, 0);
    return room_appeared(*created);
  }
  if (const auto* change = std::get_if<RoomMemberChanged>(&*event)) {
    heard(change->room, change->account);
    return member_changed(change->room, change->account, change->added);
  }
  const auto& deleted = std::get<RoomDeleted>(*event).name;
  heard(deleted, 0);
  room_vanished(deleted);
}

// After every (re)subscription: the changes published while the link was down were lost. One
// script reads every room and every private room's members at one instant.
void RedisEngine::resync_rooms() {
  ++room_resyncs_in_flight_;
  command({"EVAL", kReadRoomsScript, "1", keys_.rooms(), keys_.room_members_prefix()},
          [this, asked = room_events_heard_](const RedisReply& reply) {
            const bool last = --room_resyncs_in_flight_ == 0;
            apply_rooms_snapshot(reply, asked);
            if (last) room_events_last_heard_.clear();
          });
}

// The rooms as Redis had them when asked: what appeared, vanished or changed members since this
// node last heard; except what a message heard after asking spoke of (it has the last word).
void RedisEngine::apply_rooms_snapshot(const RedisReply& reply, std::uint64_t asked) {
  if (reply.is_error()) return;  // the link is down again: the next subscription retries
  std::size_t skipped = 0;
  auto snapshot = decode_rooms_snapshot(reply, skipped);
  if (!snapshot) return log_line(LogLevel::warn, "redis: the rooms' re-read had an unexpected form");
  if (skipped > 0) log_line(LogLevel::warn, "redis: %zu malformed room records or member sets skipped", skipped);
  const auto newer = [&](const std::string& room, AccountId account) {
    const auto found = room_events_last_heard_.find({room, account});
    return found != room_events_last_heard_.end() && found->second > asked;
  };
  std::unordered_map<std::string, StoredRoom> current;
  for (auto& room : *snapshot) current.emplace(room.name, std::move(room));
  std::vector<std::string> gone;
  for (const auto& name : rooms_) {
    if (current.count(name) == 0 && !newer(name, 0)) gone.push_back(name);
  }
  for (const auto& name : gone) room_vanished(name);
  std::vector<StoredRoom> appeared;
  for (auto& [name, room] : current) {
    if (rooms_.count(name) != 0 || newer(name, 0)) continue;
    appeared.push_back(room);
  }
  std::sort(appeared.begin(), appeared.end(), [](const StoredRoom& a, const StoredRoom& b) { return a.created_ms < b.created_ms; });
  // Members of private rooms known before: added and removed meanwhile (a copy: reporting edits them).
  const auto before = private_members_;
  for (const auto& [name, known] : before) {
    const auto now = current.find(name);
    if (now == current.end() || newer(name, 0)) continue;
    for (const AccountId member : known) {
      if (!has(now->second.members, member) && !newer(name, member)) member_changed(name, member, false);
    }
    for (const AccountId member : now->second.members) {
      if (!has(known, member) && !newer(name, member)) member_changed(name, member, true);
    }
  }
  for (const auto& room : appeared) room_appeared(room);
}

}  // namespace chat::redis
