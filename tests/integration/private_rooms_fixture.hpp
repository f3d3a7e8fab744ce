// Shared steps of the private-room and direct-conversation tests (docs/ACCOUNTS.md, step 3):
// accounts registered or signed in on another device, with the account's own rooms frame; the
// frames of creating, inviting and removing; a connection moved to general; a direct line checked
// byte for byte. Presence frames (people entering and leaving general as the tests sign in and
// move about) are skipped wherever they are not the point: every other frame is checked.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chat_fixture.hpp"

namespace chat_it {

inline constexpr const char* kPassword = "correct horse battery";
// Sign-ins hash with the real Argon2id on two worker threads shared with other tests.
inline constexpr milliseconds kHashTimeout{30'000};

class PrivateRoomsTest : public ChatServerTest {
 protected:
  // A new account, signed in: logged_in with "account":true, then general's members and history.
  // `token`: its session token.
  std::unique_ptr<ChatTestClient> registered(const std::string& name, std::string* token = nullptr) {
    auto client = connect();
    client->send(chat::Register{name, kPassword});
    const std::string given = expect_account_welcome(*client, name);
    finish_sign_in(*client, false);
    if (token) *token = given;
    return client;
  }
  // Another device of an account. `own_list`: the account is in a private room or conversation,
  // so a rooms frame of its own comes with general's members and history; it is returned.
  // `list_bytes`: that frame as it came.
  std::unique_ptr<ChatTestClient> signed_in(const std::string& name, bool own_list, std::string* list_bytes = nullptr) {
    auto client = connect();
    client->send(chat::PasswordLogin{name, kPassword});
    expect_account_welcome(*client, name);
    const std::string own = finish_sign_in(*client, own_list);
    if (list_bytes) *list_bytes = own;
    return client;
  }

  // The next frame that is not presence.
  static chat::ServerFrame next_frame(ChatTestClient& client, milliseconds timeout = kReplyTimeout) {
    for (;;) {
      chat::ServerFrame frame = client.next_json(timeout);
      if (!std::holds_alternative<chat::PresenceFrame>(frame)) return frame;
    }
  }
  static chat::MessageFrame next_message(ChatTestClient& client, milliseconds timeout = kReplyTimeout) {
    chat::ServerFrame frame = next_frame(client, timeout);
    if (!std::holds_alternative<chat::MessageFrame>(frame)) client.fail("expected a message frame, got " + client.last_raw());
    return std::get<chat::MessageFrame>(std::move(frame));
  }
  // Nothing but presence for `quiet`.
  static void expect_quiet(ChatTestClient& client, milliseconds quiet = milliseconds(200)) {
    while (auto message = client.receive(quiet)) {
      if (message->kind != WsMessage::Kind::text || message->data.find(R"("action":"presence")") == std::string::npos) {
        client.fail("expected no frame, got " + message->describe());
      }
    }
  }

  // An event frame (not a refusal) with these fields; the message text is the server's.
  static chat::MessageFrame expect_event(ChatTestClient& client, chat::Event event, const std::string& user,
                                         const std::string& room) {
    chat::MessageFrame frame = next_message(client);
    if (frame.event != event || frame.error || frame.user != user || frame.room != room || frame.message.empty()) {
      client.fail("expected event " + std::string(chat::to_string(event)) + " user=\"" + user + "\" room=\"" + room +
                  "\", got " + client.last_raw());
    }
    return frame;
  }
  static chat::MessageFrame expect_refused(ChatTestClient& client, chat::ErrorCode code) {
    chat::MessageFrame frame = next_message(client);
    if (frame.error != code || frame.message.empty()) {
      client.fail("expected refusal " + std::string(chat::to_string(code)) + ", got " + client.last_raw());
    }
    return frame;
  }

  // room_created of a private room, byte for byte as documented.
  static void expect_private_room_created(ChatTestClient& client, const std::string& room) {
    expect_event(client, chat::Event::room_created, "", room);
    chat::MessageFrame documented = chat::notice(chat::Event::room_created, "Room " + room + " created", "", room);
    documented.is_private = true;
    EXPECT_TRUE(is_documented_frame(client.last_raw(), chat::encode(chat::ServerFrame{documented})));
  }
  // `owner` creates the private room `room`: the reply, then the room is announced to the owner's
  // other devices (`also`).
  static void create_private(ChatTestClient& owner, const std::string& room, const std::vector<ChatTestClient*>& also = {}) {
    owner.send(chat::CreateRoom{room, true});
    expect_private_room_created(owner, room);
    for (auto* device : also) expect_private_room_created(*device, room);
  }
  // `requester` invites `user` (or removes them): the reply, then the same event to each of `told`
  // (the person's sessions and the sessions in the room).
  static void member_change(ChatTestClient& requester, const chat::ClientFrame& change, chat::Event event,
                            const std::string& room, const std::string& user, const std::vector<ChatTestClient*>& told) {
    requester.send(change);
    expect_event(requester, event, user, room);
    for (auto* client : told) expect_event(*client, event, user, room);
  }
  static void invite(ChatTestClient& owner, const std::string& room, const std::string& user,
                     const std::vector<ChatTestClient*>& told) {
    member_change(owner, chat::InviteMember{room, user}, chat::Event::member_added, room, user, told);
  }

  // `member` (the account `user`) leaves `room` (removes themselves): member_removed. A repeated invitation may have
  // told them member_added again just before (the spec leaves it open): skipped.
  static void leave(ChatTestClient& member, const std::string& user, const std::string& room) {
    member.send(chat::RemoveMember{room, user});
    chat::MessageFrame frame = next_message(member);
    if (frame.event == chat::Event::member_added && frame.user == user && frame.room == room) {
      frame = next_message(member);
    }
    check_event(member, frame, chat::Event::member_removed, user, room);
  }

  // `client` enters `room`: joined, members, history (returned).
  static chat::HistoryFrame join(ChatTestClient& client, const std::string& room) {
    client.send(chat::JoinRoom{room});
    expect_event(client, chat::Event::joined, "", room);
    return expect_room_frames(client, room);
  }
  // After an event that moved `client` out of its room (`cause`: member_removed or room_deleted,
  // about `user` and `room`): that event and, in general, joined, members, history; the cause may
  // come before or after the move.
  static void expect_moved_to_general(ChatTestClient& client, chat::Event cause, const std::string& user,
                                      const std::string& room) {
    chat::MessageFrame first = next_message(client);
    const bool cause_first = first.event == cause;
    if (cause_first) {
      check_event(client, first, cause, user, room);
      first = next_message(client);
    }
    check_event(client, first, chat::Event::joined, "", "general");
    expect_room_frames(client, "general");
    if (!cause_first) expect_event(client, cause, user, room);
  }

  // A direct line as this receiver sees it: "dm" names the other person; byte for byte.
  static chat::ChatLine expect_direct_line(ChatTestClient& client, const std::string& author, const std::string& other,
                                           const std::string& text) {
    const chat::MessageFrame frame = next_message(client);
    const chat::ChatLine line{frame.id, frame.ts, author, text};
    chat::MessageFrame documented = chat::chat_line("", line, true);
    documented.dm = other;
    const std::string bytes = chat::encode(chat::ServerFrame{documented});
    if (frame.id <= 0 || client.last_raw() != bytes) {
      client.fail("expected the direct line\n  " + bytes + "\ngot\n  " + client.last_raw());
    }
    return line;
  }
  // A room's v2 line; presence skipped.
  static chat::ChatLine expect_room_line(ChatTestClient& client, const std::string& author, const std::string& room,
                                         const std::string& text) {
    const chat::MessageFrame frame = next_message(client);
    const chat::ChatLine line{frame.id, frame.ts, author, text};
    const std::string bytes = chat::encode(chat::ServerFrame{chat::chat_line(room, line, true)});
    if (frame.id <= 0 || client.last_raw() != bytes) {
      client.fail("expected the line\n  " + bytes + "\ngot\n  " + client.last_raw());
    }
    return line;
  }

  // An account's own rooms frame, byte for byte.
  static std::string own_list(const std::vector<std::string>& rooms, const std::vector<std::string>& private_rooms,
                              const std::vector<std::string>& dms) {
    return chat::encode(chat::ServerFrame{chat::RoomsFrame{rooms, private_rooms, dms}});
  }

  static std::string expect_account_welcome(ChatTestClient& client, const std::string& name) {
    const chat::MessageFrame ack = client.expect_message(kHashTimeout);
    if (ack.event != chat::Event::logged_in || ack.error || !ack.account || ack.user != name ||
        ack.version != chat::kCurrentVersion) {
      client.fail("expected an account's logged_in for " + name + ", got " + client.last_raw());
    }
    client.set_label(name);
    return ack.token;
  }

  // After a welcome into `room`: its members and history, and the account's own rooms frame if
  // `own_list` (in any order; the frame is returned as it came).
  static std::string finish_sign_in(ChatTestClient& client, bool own_list, const std::string& room = "general") {
    bool members = false;
    bool history = false;
    bool listed = !own_list;
    std::string list;
    while (!(members && history && listed)) {
      chat::ServerFrame frame = next_frame(client);
      if (const auto* in = std::get_if<chat::MembersFrame>(&frame); in && in->room == room && !members) {
        members = true;
      } else if (const auto* page = std::get_if<chat::HistoryFrame>(&frame); page && page->room == room && members) {
        history = true;
      } else if (std::holds_alternative<chat::RoomsFrame>(frame) && !listed) {
        list = client.last_raw();
        listed = true;
      } else {
        client.fail("signing in: unexpected " + client.last_raw());
      }
    }
    return list;
  }

  static void check_event(ChatTestClient& client, const chat::MessageFrame& frame, chat::Event event,
                          const std::string& user, const std::string& room) {
    if (frame.event != event || frame.error || frame.user != user || frame.room != room) {
      client.fail("expected event " + std::string(chat::to_string(event)) + " user=\"" + user + "\" room=\"" + room +
                  "\", got " + client.last_raw());
    }
  }

  // A room's members then history frames (after joined or resumed); the history is returned.
  static chat::HistoryFrame expect_room_frames(ChatTestClient& client, const std::string& room) {
    chat::ServerFrame members = next_frame(client);
    const auto* in = std::get_if<chat::MembersFrame>(&members);
    if (!in || in->room != room) client.fail("expected the members of " + room + ", got " + client.last_raw());
    chat::ServerFrame history = next_frame(client);
    const auto* page = std::get_if<chat::HistoryFrame>(&history);
    if (!page || page->room != room) client.fail("expected the history of " + room + ", got " + client.last_raw());
    return *page;
  }
};

}  // namespace chat_it
