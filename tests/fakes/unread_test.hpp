// PrivateRoomTest with the steps read-marker, mention and typing tests share (docs/ACCOUNTS.md,
// step 4): the unread frames a session got, and alice's private room with bob in it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "fakes/private_room_test.hpp"

namespace chat {

class UnreadTest : public PrivateRoomTest {
 protected:
  // The unread frames the session got since the last take (other frames are dropped).
  std::vector<UnreadFrame> unread_frames(SessionId id) { return frames_of<UnreadFrame>(transport_.take(id)); }
  std::vector<TypingFrame> typing_frames(SessionId id) { return frames_of<TypingFrame>(transport_.take(id)); }
  // The session got exactly one typing notice since the last take, this one.
  void expect_told_typing(SessionId id, const TypingFrame& expected) {
    const auto told = typing_frames(id);
    ASSERT_EQ(told.size(), 1u) << "session " << id;
    EXPECT_EQ(told[0].room, expected.room) << "session " << id;
    EXPECT_EQ(told[0].dm, expected.dm) << "session " << id;
    EXPECT_EQ(told[0].user, expected.user) << "session " << id;
  }
  // Every entry of those frames, in order.
  static std::vector<UnreadCount> entries(const std::vector<UnreadFrame>& frames) {
    std::vector<UnreadCount> all;
    for (const UnreadFrame& frame : frames) all.insert(all.end(), frame.unread.begin(), frame.unread.end());
    return all;
  }
  // The one entry the session was sent since the last take, in one frame (a failure if not).
  UnreadCount only_count(SessionId id) {
    const auto frames = unread_frames(id);
    EXPECT_EQ(frames.size(), 1u);
    if (frames.size() != 1 || frames[0].unread.size() != 1) {
      ADD_FAILURE() << "not one count in one frame";
      return {};
    }
    return frames[0].unread[0];
  }
  // The entry about `room` (or, dm, the conversation with that person) among `counts`.
  static const UnreadCount* about(const std::vector<UnreadCount>& counts, const std::string& room,
                                  const std::string& dm = "") {
    for (const UnreadCount& count : counts) {
      if (count.room == room && count.dm == dm) return &count;
    }
    return nullptr;
  }
  // alice's private room `room`, bob a member of it, alice in it; every frame so far dropped.
  void club_with(SessionId alice, const std::string& bob_name, const std::string& room = "club") {
    create_private(alice, room);
    EXPECT_FALSE(ask(alice, InviteMember{room, bob_name}).error);
    send(alice, JoinRoom{room});
    transport_.clear();
  }
  // Lines `texts` sent by `session` to its room, every frame they caused dropped.
  void say(SessionId session, const std::vector<std::string>& texts) {
    for (const std::string& text : texts) send(session, SendMessage{text});
    transport_.clear();
  }
  AccountId account_id(const std::string& name) {
    for (const auto& [id, account] : store_.accounts()) {
      if (account.name == name) return id;
    }
    ADD_FAILURE() << "no account " << name;
    return 0;
  }
  ReadMarker stored_marker(const std::string& name, const std::string& room) {
    const auto found = store_.markers().find({account_id(name), room});
    return found == store_.markers().end() ? ReadMarker{} : found->second;
  }
  bool has_stored_marker(const std::string& name, const std::string& room) {
    return store_.markers().count({account_id(name), room}) > 0;
  }
};

}  // namespace chat
