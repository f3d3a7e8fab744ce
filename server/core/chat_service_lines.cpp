// The chat core's lines. A chat line is published to the engine, which stores it, gives it its
// id and hands it back through the inbox, from whichever node it was sent. Lines reach people only
// from the inbox, through the room's RoomFeed, so:
// - each room's lines are delivered in id order, each once, and a hole is filled from history;
// - the sender's next request waits until its line has been delivered (it gets its own echo first);
// - a v2 session that asked for history (join, login, resume) is "syncing": live lines are held
//   for it (HeldLines) until the page arrives; those the page holds are dropped, the rest follow
//   it, and a hole between them is read too: no gap, no duplicate, whatever the order in which the
//   engine answers the read and delivers the lines.
#include "server/core/chat_service.hpp"

#include "server/core/history_budget.hpp"
#include "server/log.hpp"
#include "shared/codec.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {
constexpr int kCloseTryAgainLater = 1013;
}  // namespace

// v2: the room's members, then its lines after `after_id` (the latest page when 0).
void ChatService::catch_up(SessionId session, RoomId room, std::int64_t after_id) {
  if (!find(session)) return;
  send_frame(session, members_of(room));
  send_history(session, room, after_id);
}

// From now until its history is sent, live lines are held back from the session: they will be in
// the history, which is read after they are stored.
void ChatService::hold_live_lines(Session& session) {
  session.sync = next_sync_++;
  session.held.clear();
}

// The line's request stays unfinished until the line has come back through the inbox and been
// delivered: the sender's later requests (a join, a refusal) never overtake its own echo.
// With `dm`, to a direct conversation instead (chat_service_dms.cpp).
void ChatService::handle(const Request& request, const SendMessage& send) {
  if (!send.dm.empty()) return send_direct(request, send);
  if (auto error = validate_text(send.message, options_.limits)) return refuse(request, *error);
  if (!engine_.available()) return refuse(request, Error{ErrorCode::store_unavailable, "line not sent"});
  if (engine_.pending() >= options_.max_store_backlog) return refuse(request, Error{ErrorCode::server_busy, ""});
  const RoomId room = *rooms_.room_of(request.session);
  if (rooms_being_deleted_.count(room) > 0) return refuse(request, Error{ErrorCode::no_such_room, "the room is being deleted"});
  publish_line(request, room, send.message);
}

void ChatService::publish_line(const Request& request, RoomId room, const std::string& text) {
  const SessionId id = request.session;
  const std::uint32_t generation = rooms_.generation(room);
  find(id)->order.started(RequestOrder::Work::line);
  const std::string& author = *names_.name_of(id);
  engine_.publish(rooms_.name(room), clock_.now_ms(), author, text,
                  [this, id, room, generation, request_id = request.request_id, account = find(id)->account, author,
                   text](PublishResult result) {
    const auto finish = [this, id] { finished(id, RequestOrder::Work::line); };
    const Request later{id, request_id};
    if (rooms_.generation(room) != generation) {  // deleted meanwhile: never into a later room
      if (find(id)) refuse(later, Error{ErrorCode::no_such_room, "the room was deleted"});
      return finish();
    }
    if (result.outcome == PublishOutcome::stored) {
      line_stored(account, author, rooms_.name(room), result.id, text);
      if (feeds_.at(room).delivered_or_wait(result.epoch, result.id, finish)) finish();
      return;
    }
    if (result.outcome == PublishOutcome::unknown) {
      log_line(LogLevel::warn, "engine: a line's fate is unknown: %s", result.error.c_str());
    }
    // Unknown: if it was stored after all, it reaches everyone (the sender too) through the inbox.
    const char* what = result.outcome == PublishOutcome::unknown ? "line may not have been sent" : "line not sent";
    if (find(id)) refuse(later, Error{ErrorCode::store_unavailable, what});
    finish();
  });
}

void ChatService::line_published(const std::string& room, const std::string& epoch, const ChatLine& line) {
  if (const auto id = rooms_.find(room)) apply(*id, feeds_.at(*id).offer(epoch, line));
}

void ChatService::line_void(const std::string& room, const std::string& epoch, std::int64_t line_id) {
  if (const auto id = rooms_.find(room)) apply(*id, feeds_.at(*id).skip(epoch, line_id));
}

void ChatService::room_live(const std::string& room) {
  if (const auto id = rooms_.find(room)) apply(*id, feeds_.at(*id).resync());
}

void ChatService::apply(RoomId room, RoomFeed::Step step) {
  if (step.renumbered) markers_.reset_room(rooms_.name(room));  // the engine lost its markers with its lines
  for (ChatLine& line : step.deliver) note_mentions(rooms_.name(room), line);
  for (const ChatLine& line : step.deliver) deliver(room, line);
  count_lines(room, step.deliver);
  for (auto& waiter : step.ready) waiter();
  if (step.read_needed && feeds_.count(room) > 0) read_feed(room);
}

// A hole in the room's feed is filled from durable history; a failed read waits for the next
// line or reconnection to try again.
void ChatService::read_feed(RoomId room) {
  const std::uint32_t generation = rooms_.generation(room);
  const LineQuery query{rooms_.name(room), feeds_.at(room).begin_read(), 0, options_.catch_up_page};
  engine_.read_lines(query, [this, room, generation](LinePage page) {
    if (rooms_.generation(room) != generation || feeds_.count(room) == 0) return;
    if (!page.ok) log_line(LogLevel::warn, "engine: could not read %s to fill a hole", rooms_.name(room).c_str());
    apply(room, feeds_.at(room).read_done(page));
  });
}

void ChatService::deliver(RoomId room, const ChatLine& line) {
  ++metrics_.lines_accepted;
  if (is_dm_room_name(rooms_.name(room))) return deliver_direct(room, line);
  SharedText seed_frame;
  SharedText detailed_frame;
  const RoomFeed& feed = feeds_.at(room);
  const std::string& epoch = feed.epoch();
  const std::uint32_t numbering = feed.numbering();
  for (const SessionId member : rooms_.members(room)) {
    Session& session = *find(member);
    if (session.claiming) continue;
    if (session.version < kCurrentVersion) {
      if (!seed_frame) seed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, false)}));
      transport_.send(member, seed_frame);
      ++metrics_.deliveries;
      continue;
    }
    if (session.sync == 0) {
      if (session.seen_numbering == numbering && line.id <= session.seen_id) continue;  // in its history
      session.seen_id = line.id;
      session.seen_numbering = numbering;
      if (!detailed_frame) detailed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, true)}));
      transport_.send(member, detailed_frame);
      ++metrics_.deliveries;
    } else {
      if (!detailed_frame) detailed_frame = share(encode(ServerFrame{chat_line(rooms_.name(room), line, true)}));
      session.held.hold(epoch, line.id, detailed_frame);
    }
  }
}

void ChatService::handle(const Request& request, const History& history) {
  if (!history.dm.empty()) return history_direct(request, history);
  if (auto error = validate_room(history.room, options_.limits)) return refuse(request, *error);
  if (!visible_room(history.room, find(request.session)->account)) {
    return refuse(request, Error{ErrorCode::no_such_room, history.room});
  }
  read_page(request, LineQuery{history.room, 0, history.before_id, history.limit}, history.room, "");
}

// One page back, answered as a history frame of `room` or of the conversation with `dm`.
void ChatService::read_page(const Request& request, LineQuery query, const std::string& room, const std::string& dm) {
  const SessionId id = request.session;
  ++metrics_.history_reads;
  engine_.read_lines(query, in_order(id, RequestOrder::Work::other,
                    [this, id, room, dm, stored = query.room, request_id = request.request_id](LinePage page) {
    if (!find(id)) return;
    if (!page.ok) return refuse(Request{id, request_id}, Error{ErrorCode::store_unavailable, "history"});
    fill_mentions(stored, page.lines);
    const bool cut = fit_history_budget(page.lines, /*keep_newest=*/true);
    send_frame(id, HistoryFrame{room, std::move(page.lines), page.more || cut, request_id, dm});
  }));
}

// Sends the room's lines after `after_id` (or the latest page when 0) in pages, holding live lines
// back until the last page is out.
void ChatService::send_history(SessionId session, RoomId room, std::int64_t after_id, bool fresh) {
  Session& state = *find(session);
  if (fresh) hold_live_lines(state);
  const std::uint64_t sync = state.sync;
  LineQuery query{rooms_.name(room), after_id, 0, after_id == 0 ? kDefaultHistoryLimit : options_.catch_up_page};
  ++metrics_.history_reads;
  engine_.read_lines(query, in_order(session, RequestOrder::Work::other, [this, session, room, after_id, sync](LinePage page) {
    const Session* current = find(session);
    if (!current || current->sync != sync) return;  // gone, or moved on to another room
    history_read(session, room, after_id, std::move(page));
  }));
}

// One page of a sync: sent, then either the next page, or the held live lines that follow it.
void ChatService::history_read(SessionId session, RoomId room, std::int64_t after_id, LinePage page) {
  if (!page.ok) return history_unreadable(session);
  Session& state = *find(session);
  fill_mentions(rooms_.name(room), page.lines);
  const bool catching_up = after_id != 0;
  const bool cut = fit_history_budget(page.lines, /*keep_newest=*/!catching_up);
  const std::int64_t last = page.lines.empty() ? after_id : page.lines.back().id;
  const bool older_exist = catching_up ? after_id > 0 : page.more || cut;
  const bool more_to_catch_up = catching_up && (page.more || cut);
  send_frame(session, HistoryFrame{rooms_.name(room), std::move(page.lines), older_exist, "", ""});
  if (more_to_catch_up) return send_history(session, room, last, /*fresh=*/false);
  HeldLines::Release release = state.held.release(page.epoch, last);
  if (release.restart) return send_history(session, room, 0);  // the room numbers anew: its latest page
  for (const SharedText& frame : release.send) transport_.send(session, frame);
  metrics_.deliveries += release.send.size();
  if (release.read_on) return send_history(session, room, release.after_id, /*fresh=*/false);
  state.sync = 0;
  state.seen_id = release.after_id;
  state.seen_numbering = feeds_.at(room).numbering();
}

// The lines held back while the history was read would be missing for good: rather than a silent
// gap, the session ends with 1013 (try again later). Its client resumes from the last line it has
// (the name is kept for the token), and catches up once the store answers again.
void ChatService::history_unreadable(SessionId session) {
  metrics_.refused(ErrorCode::store_unavailable);
  send_frame(session, refusal(Error{ErrorCode::store_unavailable, "history could not be read"}));
  transport_.close(session, kCloseTryAgainLater, "history could not be read: try again later");
  disconnect(session);
}

}  // namespace chat
