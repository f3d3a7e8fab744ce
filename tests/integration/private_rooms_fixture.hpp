// Shared steps of the private-room and direct-conversation tests (docs/ACCOUNTS.md, step 3):
// accounts registered or signed in on another device, with the account's own rooms frame; the
// frames of creating, inviting and removing; a connection moved to general; a direct line checked
// byte for byte; and (step 4) unread frames checked whole, lines with their mentions, and the
// author's read receipt that comes with its own line. Presence frames (people entering and
// leaving general as the tests sign in and move about) are skipped wherever they are not the
// point: every other frame is checked. Over 300 lines: the one fixture of every test of private
// rooms, conversations and their counts, each helper short.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "chat_fixture.hpp"

namespace chat_it {

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
  // `list_bytes`: that frame as it came. `counts`: the account's unread counts (see finish_sign_in).
  std::unique_ptr<ChatTestClient> signed_in(const std::string& name, bool own_list, std::string* list_bytes = nullptr,
                                            chat::UnreadFrame* counts = nullptr) {
    auto client = connect();
    client->send(chat::PasswordLogin{name, kPassword});
    expect_account_welcome(*client, name);
    const std::string own = finish_sign_in(*client, own_list, "general", counts);
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

  // A room's v2 line, with the accounts it mentions; presence skipped.
  static chat::ChatLine expect_room_line(ChatTestClient& client, const std::string& author, const std::string& room,
                                         const std::string& text, const std::vector<std::string>& mentions = {}) {
    const chat::MessageFrame frame = next_message(client);
    return check_line(client, frame, author, room, "", text, mentions);
  }

  // An account's own rooms frame, byte for byte.
  static std::string own_list(const std::vector<std::string>& rooms, const std::vector<std::string>& private_rooms,
                              const std::vector<std::string>& dms) {
    return chat::encode(chat::ServerFrame{chat::RoomsFrame{rooms, private_rooms, dms}});
  }

  // ---- Step 4: unread counts and mentions (docs/ACCOUNTS.md, with the bytes of
  // tests/shared/codec_unread_test.cpp). Every account's line now comes with its author's read
  // receipt, and is counted on its readers' devices that are not in its room.
  static chat::UnreadCount in_room(const std::string& room, std::int64_t last_read_id, std::int64_t count,
                                   bool mention = false) {
    return chat::UnreadCount{room, "", last_read_id, count, mention};
  }
  static chat::UnreadCount with(const std::string& person, std::int64_t last_read_id, std::int64_t count,
                                bool mention = false) {
    return chat::UnreadCount{"", person, last_read_id, count, mention};
  }

  // `request_id` as JSON: "7", or "\"m1\"" for a string.
  static void send_with_id(ChatTestClient& client, const chat::ClientFrame& frame, const std::string& request_id) {
    client.send_text(chat::encode(frame, request_id));
  }

  // The frame's bytes with its entries in one order (room, then dm), for comparing and printing.
  static std::string canonical(chat::UnreadFrame frame) {
    std::sort(frame.unread.begin(), frame.unread.end(), [](const chat::UnreadCount& a, const chat::UnreadCount& b) {
      return std::tie(a.room, a.dm) < std::tie(b.room, b.dm);
    });
    return chat::encode(chat::ServerFrame{frame});
  }
  static void check_unread(ChatTestClient& client, const chat::UnreadFrame& got,
                           const std::vector<chat::UnreadCount>& expected, const std::string& request_id = "") {
    const std::string want = canonical(chat::UnreadFrame{expected, request_id});
    if (canonical(got) != want) client.fail("expected the counts\n  " + want + "\ngot\n  " + canonical(got));
  }
  // The next frame (presence skipped) is an unread frame with exactly these counts; with the
  // request's id if it answers one.
  static void expect_unread(ChatTestClient& client, const std::vector<chat::UnreadCount>& expected,
                            const std::string& request_id = "") {
    chat::ServerFrame frame = next_frame(client);
    const auto* unread = std::get_if<chat::UnreadFrame>(&frame);
    if (!unread) client.fail("expected an unread frame, got " + client.last_raw());
    check_unread(client, *unread, expected, request_id);
  }

  // A room's v2 line (`room` set) or a direct one (`dm`: the other person as this receiver sees
  // it) with the accounts it mentions, byte for byte.
  static chat::ChatLine check_line(ChatTestClient& client, const chat::MessageFrame& frame, const std::string& author,
                                   const std::string& room, const std::string& dm, const std::string& text,
                                   const std::vector<std::string>& mentions) {
    const chat::ChatLine line{frame.id, frame.ts, author, text, mentions};
    chat::MessageFrame documented = chat::chat_line(room, line, true);
    documented.dm = dm;
    const std::string bytes = chat::encode(chat::ServerFrame{documented});
    if (frame.id <= 0 || client.last_raw() != bytes) {
      client.fail("expected the line\n  " + bytes + "\ngot\n  " + client.last_raw());
    }
    return line;
  }
  // The author's copy of its line in `room` (or to `dm`) and its read receipt, in either order:
  // the line goes out as it is stored, the receipt as the marker is raised right after.
  static chat::ChatLine expect_own_line(ChatTestClient& client, const std::string& author, const std::string& room,
                                        const std::string& dm, const std::string& text,
                                        const std::vector<std::string>& mentions = {}) {
    return expect_line_and_count(client, author, room, dm, text, mentions, true, 0);
  }
  // A line and the count it makes: the author's copy with its receipt (`own`), or a direct line
  // to its receiver, whose count rises to `count`. In either order.
  static chat::ChatLine expect_line_and_count(ChatTestClient& client, const std::string& author, const std::string& room,
                                              const std::string& dm, const std::string& text,
                                              const std::vector<std::string>& mentions, bool own, std::int64_t count,
                                              std::int64_t last_read_id = 0, bool mention = false) {
    std::optional<chat::ChatLine> line;
    std::optional<chat::UnreadFrame> unread;
    std::string unread_raw;
    while (!line || !unread) {
      chat::ServerFrame frame = next_frame(client);
      if (auto* message = std::get_if<chat::MessageFrame>(&frame); message && !line) {
        line = check_line(client, *message, author, room, dm, text, mentions);
      } else if (auto* counts = std::get_if<chat::UnreadFrame>(&frame); counts && !unread) {
        unread = std::move(*counts);
        unread_raw = client.last_raw();
      } else {
        client.fail("expected a line and its count, got " + client.last_raw());
      }
    }
    const std::int64_t read_up_to = own ? line->id : last_read_id;
    const chat::UnreadCount expected = room.empty() ? with(dm, read_up_to, count, mention)
                                                    : in_room(room, read_up_to, count, mention);
    const std::string want = canonical(chat::UnreadFrame{{expected}, ""});
    if (canonical(*unread) != want) client.fail("expected the count\n  " + want + "\ngot\n  " + unread_raw);
    return *line;
  }

  // `author` (the account `name`, in `room`) says `text`: its line and receipt.
  static chat::ChatLine say(ChatTestClient& author, const std::string& name, const std::string& room,
                            const std::string& text, const std::vector<std::string>& mentions = {}) {
    author.send(chat::SendMessage{text});
    return expect_own_line(author, name, room, "", text, mentions);
  }

  // Proves nothing came before: `client` asks for something answered at once (a room that does
  // not exist) and that answer must be its next frame (presence skipped).
  static void expect_nothing_before_an_answer(ChatTestClient& client) {
    client.send(chat::JoinRoom{"nowhere"});
    expect_refused(client, chat::ErrorCode::no_such_room);
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
  // `own_list` (in any order; the frame is returned as it came). The account's unread counts
  // (docs/ACCOUNTS.md, step 4) come in one frame, whenever its markers are read, once it follows
  // a room: always if `own_list` (it follows its private rooms and conversations), and then waited
  // for; else only if it read or wrote in a public room, waited for when `counts` asks for them.
  static std::string finish_sign_in(ChatTestClient& client, bool own_list, const std::string& room = "general",
                                    chat::UnreadFrame* counts = nullptr) {
    bool members = false;
    bool history = false;
    bool listed = !own_list;
    bool counted = !own_list && !counts;
    bool counts_came = false;
    std::string list;
    while (!(members && history && listed && counted)) {
      chat::ServerFrame frame = next_frame(client);
      if (const auto* in = std::get_if<chat::MembersFrame>(&frame); in && in->room == room && !members) {
        members = true;
      } else if (const auto* page = std::get_if<chat::HistoryFrame>(&frame); page && page->room == room && members) {
        history = true;
      } else if (std::holds_alternative<chat::RoomsFrame>(frame) && !listed) {
        list = client.last_raw();
        listed = true;
      } else if (auto* unread = std::get_if<chat::UnreadFrame>(&frame); unread && !counts_came) {
        if (counts) *counts = std::move(*unread);
        counted = counts_came = true;
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
