// The ViewModel's private rooms and direct conversations (docs/ACCOUNTS.md, "Step 3"): the
// account's own rooms list, creating a private room, inviting and removing members (the owner),
// leaving (a member), member_added/removed naming us (the room appears or goes), and the
// conversations: shown in place of the room's log, their lines and pages kept apart from every
// room's (dm_log_key), sent with "dm". Rooms' own logs are view_model_rooms.cpp's.
#include <algorithm>
#include <utility>

#include "app/view_model.hpp"
#include "shared/validate.hpp"

namespace chat::client {
namespace {

// The conversations a list shows: the server caps new ones at 60 an hour per account; this is a
// bound on what a misbehaving server could make the page hold.
constexpr std::size_t kMaxConversationsShown = 1000;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (!name.empty() && !contains(names, name)) names.push_back(name);
}

void erase(std::vector<std::string>& names, const std::string& name) {
  names.erase(std::remove(names.begin(), names.end(), name), names.end());
}

}  // namespace

// ---- Frames from the server.

// Every list replaces the last: the account's own (after logged_in/resumed) holds all its
// private rooms and conversations; the one each connection gets first holds public rooms only.
void ViewModel::apply_rooms(const RoomsFrame& frame) {
  state_.rooms = frame.rooms;
  state_.private_rooms = frame.private_rooms;
  state_.dms = frame.dms;
  if (state_.dms.size() > kMaxConversationsShown) state_.dms.resize(kMaxConversationsShown);
  if (!state_.current_dm.empty()) add_once(state_.dms, state_.current_dm);  // still shown
  ask_for_room_members();
}

void ViewModel::apply_room_members(const RoomMembersFrame& frame) {
  pending_.take(frame.request_id);
  if (frame.room != state_.current_room) return;  // we moved on since
  state_.room_owner = frame.owner;
  state_.room_members = frame.members;
}

// True when the event is worth a line in the log (every one that reaches us concerns us).
bool ViewModel::apply_membership_event(const MessageFrame& frame, const std::optional<Asked>& asked) {
  if (asked && (asked->kind == Asked::Kind::invite || asked->kind == Asked::Kind::remove_member)) {
    state_.member_error.clear();
  }
  if (frame.event == Event::member_added) on_member_added(frame.room, frame.user);
  if (frame.event == Event::member_removed) on_member_removed(frame.room, frame.user);
  return true;
}

void ViewModel::on_member_added(const std::string& room, const std::string& user) {
  if (user == state_.my_name) {  // invited: the room is ours to see now
    add_once(state_.rooms, room);
    add_once(state_.private_rooms, room);
  }
  if (room == state_.current_room && !state_.room_owner.empty()) add_once(state_.room_members, user);
}

// Removed ourselves (left, or removed by the owner): the room goes from the list; if we were in
// it, the server moves us to general (its `joined` follows).
void ViewModel::on_member_removed(const std::string& room, const std::string& user) {
  if (user == state_.my_name) {
    erase(state_.rooms, room);
    erase(state_.private_rooms, room);
    if (room == state_.current_room) {
      state_.room_owner.clear();
      state_.room_members.clear();
    }
    return;
  }
  if (room == state_.current_room) erase(state_.room_members, user);
}

void ViewModel::apply_dm_line(const MessageFrame& frame) {
  LogLine line{LogLine::Kind::chat, frame.user, std::string(frame.chat_text()), frame.id, frame.ts,
               mentioned(frame.mentions)};
  note_dm(frame.dm);  // a new conversation reaches us as its first line
  RoomLog& log = log_of(dm_log_key(frame.dm));
  if (!log.add_chat(line)) return;
  log.trim(options_.max_log_lines_per_room);
  note_new_line(dm_log_key(frame.dm), line);
  if (arrivals_.size() == kMaxArrivals) arrivals_.erase(arrivals_.begin());
  arrivals_.push_back(Arrival{"", std::move(line), frame.dm});
}

void ViewModel::note_dm(const std::string& user) {
  if (state_.dms.size() < kMaxConversationsShown) add_once(state_.dms, user);
}

// ---- Requests made by the view-model itself.

void ViewModel::ask_for_room_members() {
  const std::string& room = state_.current_room;
  if (phase_ != Phase::online || !is_private_room(state_, room) || members_asked_for_ == room) return;
  members_asked_for_ = room;
  send(ListRoomMembers{room}, Asked{Asked::Kind::room_members, room});
}

void ViewModel::ask_for_conversation_page(const std::string& user) {
  const std::string key = dm_log_key(user);
  const Asked* asking = pending_.newest(Asked::Kind::history);
  if (asking && asking->subject == key) return;
  send(History{"", 0, options_.older_page_lines, user}, Asked{Asked::Kind::history, key, 0});
}

// Signed out (or the session ended): what only the account could see leaves the page (its
// unread counts and account screen too).
void ViewModel::forget_private_lists() {
  for (const auto& room : state_.private_rooms) {
    erase(state_.rooms, room);
    logs_.erase(room);
  }
  for (const auto& user : state_.dms) logs_.erase(dm_log_key(user));
  if (!state_.current_dm.empty()) logs_.erase(dm_log_key(state_.current_dm));
  state_.private_rooms.clear();
  state_.dms.clear();
  state_.current_dm.clear();
  state_.room_owner.clear();
  state_.room_members.clear();
  state_.member_error.clear();
  members_asked_for_.clear();
  forget_unread();
  typing_board_.clear();
  state_.typing.clear();
  close_account_screen();
}

// ---- Intents.

bool ViewModel::create_private_room(std::string_view room) {
  if (!can_send(state_.room_error)) return false;
  if (!state_.signed_in) return refuse(state_.room_error, "Private rooms are for accounts: sign in to create one");
  auto refused = validate_room(room, options_.limits);
  if (!refused && contains(state_.rooms, std::string(room))) refused = Error{ErrorCode::room_exists, std::string(room)};
  return submit(state_.room_error, refused, CreateRoom{std::string(room), true},
                Asked{Asked::Kind::create_room, std::string(room)});
}

bool ViewModel::invite(std::string_view user) {
  if (!can_send(state_.member_error)) return false;
  if (!owns_current_room(state_)) return refuse(state_.member_error, "Only the owner of a private room invites");
  return send_member_change(user, Asked::Kind::invite);
}

bool ViewModel::remove_member(std::string_view user) {
  if (!can_send(state_.member_error)) return false;
  if (!owns_current_room(state_)) return refuse(state_.member_error, "Only the owner of a private room removes members");
  if (user == state_.my_name) return refuse(state_.member_error, "The owner cannot leave: delete the room instead");
  return send_member_change(user, Asked::Kind::remove_member);
}

bool ViewModel::leave_room() {
  if (!can_send(state_.member_error)) return false;
  if (!is_private_room(state_, state_.current_room)) return refuse(state_.member_error, "Only a private room can be left");
  if (owns_current_room(state_)) return refuse(state_.member_error, "The owner cannot leave: delete the room instead");
  return send_member_change(state_.my_name, Asked::Kind::remove_member);
}

bool ViewModel::send_member_change(std::string_view user, Asked::Kind kind) {
  const std::string& room = state_.current_room;
  const std::string name(user);
  if (kind == Asked::Kind::invite) {
    return submit(state_.member_error, validate_name(user, options_.limits), InviteMember{room, name}, Asked{kind, room});
  }
  return submit(state_.member_error, validate_name(user, options_.limits), RemoveMember{room, name}, Asked{kind, room});
}

bool ViewModel::open_conversation(std::string_view user) {
  if (!can_send(state_.input_error)) return false;
  if (!state_.signed_in) return refuse(state_.input_error, "Direct messages are for accounts: sign in to send one");
  if (user == state_.my_name) return refuse(state_.input_error, "That is you: choose someone else");
  if (auto error = validate_name(user, options_.limits)) return refuse(state_.input_error, describe(*error));
  state_.current_dm = std::string(user);
  state_.input_error.clear();
  note_dm(state_.current_dm);
  ask_for_conversation_page(state_.current_dm);
  refresh_room_state();
  return true;
}

}  // namespace chat::client
