// The fixture of the private rooms' and direct conversations' ViewModel tests: a client signed in
// to an account, the account's rooms list, alice in her own private room, a conversation's line.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "view_model_fixture.hpp"

namespace chat::client {

using Names = std::vector<std::string>;

class ViewModelPrivateTest : public ViewModelTest {
 protected:
  void signed_in_as(const std::string& name) {
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
    server_sends_rooms({"general"});
    ASSERT_TRUE(vm_.sign_in(name, "correct horse battery"));
    sent();
    MessageFrame ack = notice(Event::logged_in, "Welcome, " + name + "!", name, "");
    ack.token = "465c1a131b47671a.5599041afcbeb08976355cb5e44feb7a";
    ack.version = kCurrentVersion;
    ack.account = true;
    server_answers(ack);
    ASSERT_TRUE(vm_.state().signed_in);
    sent();
  }
  void server_sends_account_rooms(Names rooms, Names private_rooms, Names dms) {
    server_sends(RoomsFrame{std::move(rooms), std::move(private_rooms), std::move(dms)});
  }
  // `who`, a member of alice's private room "secret", in it, its members known.
  void in_alices_room_as(const std::string& who, Names members = {"alice", "bob"}) {
    signed_in_as(who);
    server_sends_account_rooms({"general", "secret"}, {"secret"}, {});
    ASSERT_TRUE(vm_.join_room("secret"));
    sent();
    server_says_joined("secret");
    const auto asked = sent_requests();
    ASSERT_EQ(asked.size(), 1u);
    const auto* list = std::get_if<ListRoomMembers>(&asked[0].frame);
    ASSERT_NE(list, nullptr) << "entering a private room asks for its members";
    EXPECT_EQ(list->room, "secret");
    server_sends(RoomMembersFrame{"secret", "alice", std::move(members), asked[0].request_id});
  }
  // alice, owner of "secret", in it, its members known.
  void alice_in_her_room(Names members = {"alice", "bob"}) { in_alices_room_as("alice", std::move(members)); }
  // The one frame sent since: a remove_member of `user` from "secret".
  void expect_removal_sent(const std::string& user) {
    const auto frames = sent();
    ASSERT_EQ(frames.size(), 1u);
    const auto* removal = std::get_if<RemoveMember>(&frames[0]);
    ASSERT_NE(removal, nullptr);
    EXPECT_EQ(removal->room, "secret");
    EXPECT_EQ(removal->user, user);
  }
  void member_event(Event event, const std::string& user, const std::string& room) {
    server_sends(notice(event, user + " changed in " + room, user, room));
  }
  static MessageFrame dm_line(const std::string& other, std::int64_t id, const std::string& author) {
    MessageFrame line = chat_line("", ChatLine{id, 1'700'000'000'000 + id, author, "dm " + std::to_string(id)}, true);
    line.dm = other;
    return line;
  }
};

}  // namespace chat::client
