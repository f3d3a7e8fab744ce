#include "server/engine/local/local_engine.hpp"

#include <cstdio>

namespace chat {

std::string LocalEngine::epoch_of(const StoredRoom& room) {
  char text[24];
  std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(room.created_ms));
  return text;
}

bool LocalEngine::load(StoredState& state) {
  if (!store_.load(state)) return false;
  rooms_.clear();
  for (StoredRoom& room : state.rooms) {
    room.epoch = epoch_of(room);
    rooms_[room.name] = Numbering{room.epoch, room.last_line_id};
  }
  return true;
}

// The id is given now, in the order lines are published; the store commits them in that order.
void LocalEngine::publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
                          PublishDone done) {
  Numbering& numbering = rooms_[room];
  const ChatLine line{++numbering.last_id, ts, user, text};
  store_.append_line(room, line, [this, room, line, epoch = numbering.epoch, done = std::move(done)](bool ok) {
    if (ok) {
      inbox_->line_published(room, epoch, line);
    } else {
      inbox_->line_void(room, epoch, line.id);
    }
    done(PublishResult{ok ? PublishOutcome::stored : PublishOutcome::refused, epoch, line.id,
                       ok ? "" : "the store could not write the line"});
  });
}

void LocalEngine::read_lines(const LineQuery& query, PageDone done) {
  const auto found = rooms_.find(query.room);
  const std::string epoch = found == rooms_.end() ? std::string() : found->second.epoch;
  store_.read_lines(query, [epoch, done = std::move(done)](LinePage page) {
    page.epoch = epoch;
    done(std::move(page));
  });
}

void LocalEngine::create_room(const StoredRoom& room, RoomDone done) {
  store_.create_room(room, [this, room = room, done = std::move(done)](bool ok) mutable {
    if (ok) {
      room.epoch = epoch_of(room);
      room.last_line_id = 0;
      rooms_[room.name] = Numbering{room.epoch, 0};
      inbox_->room_created(room);
    }
    done(ok ? RoomOutcome::done : RoomOutcome::failed);
  });
}

void LocalEngine::delete_room(const std::string& name, RoomDone done) {
  store_.delete_room(name, [this, name, done = std::move(done)](bool ok) {
    if (ok) {
      rooms_.erase(name);
      inbox_->room_deleted(name);
    }
    done(ok ? RoomOutcome::done : RoomOutcome::failed);
  });
}

// The store answers false for a room it does not hold: on one node that is the only failure
// besides the disk's, and either way nothing changed.
void LocalEngine::add_room_member(const std::string& room, AccountId account, RoomDone done) {
  store_.add_room_member(room, account, [this, room, account, done = std::move(done)](bool ok) {
    if (ok) inbox_->room_member_added(room, account);
    done(ok ? RoomOutcome::done : RoomOutcome::failed);
  });
}

void LocalEngine::remove_room_member(const std::string& room, AccountId account, RoomDone done) {
  store_.remove_room_member(room, account, [this, room, account, done = std::move(done)](bool ok) {
    if (ok) inbox_->room_member_removed(room, account);
    done(ok ? RoomOutcome::done : RoomOutcome::failed);
  });
}

void LocalEngine::read_markers(AccountId account, MarkersRead done) { store_.read_markers(account, std::move(done)); }

void LocalEngine::raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) {
  store_.raise_read_marker(account, room, id, [this, account, room, id, done = std::move(done)](bool ok) {
    if (ok) inbox_->read_marker_raised(account, room, id);
    done(ok);
  });
}

void LocalEngine::raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                                 Done done) {
  store_.raise_mentions(accounts, room, id, std::move(done));
}

}  // namespace chat
