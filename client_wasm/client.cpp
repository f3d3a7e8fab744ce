// Frame order: time first (it may ask for a connection), then the view (it may queue frames), then
// the frames go out. Socket events are handled as they come, between frames, and mark the next
// frame as worth drawing.
#include "client.hpp"

#include <emscripten/emscripten.h>

#include <utility>

#include "app/attention.hpp"
#include "net/session_storage.hpp"
#include "ui/page_attention.hpp"
#include "ui/snapshot.hpp"

namespace chat::client {
namespace {

double now_seconds() { return emscripten_get_now() / 1000.0; }

ViewModel::Options model_options() {
  ViewModel::Options options;
  options.random_unit = [] { return static_cast<double>(emscripten_random()); };
  return options;
}

}  // namespace

Client::Client(std::string server_url, std::function<void()> wake)
    : Client(std::move(server_url), std::move(wake), net::load_session()) {}

Client::Client(std::string server_url, std::function<void()> wake, const SavedSession& saved)
    : server_url_(std::move(server_url)),
      wake_(std::move(wake)),
      has_session_(!saved.token.empty()),
      model_(model_options(), saved),
      socket_({
          [this] { model_.on_open(now_seconds()); changed(); },
          [this](std::string_view text) { model_.on_text(text, now_seconds()); changed(); },
          [this](int code) { model_.on_close(now_seconds(), code); changed(); },
      }),
      notices_(ui::notifications_remembered() ? NoticeSwitch::on : NoticeSwitch::off) {}

bool Client::tick(double now) {
  // Seen again: the log shown is read now; hidden, its lines count in the title.
  if (model_.set_page_visible(!ui::page_attention().hidden)) {
    changed_ = true;
    update_mirror();
  }
  model_.tick(now);
  if (model_.take_connect_request()) {
    socket_.open(server_url_);
    changed_ = true;
  }
  flush();
  const bool changed = changed_ || status_text(model_.state(), now) != shown_status_ ||
                       model_.state().typing != shown_typing_;
  changed_ = false;
  return changed;
}

void Client::changed() {
  flush();
  changed_ = true;
  // At once, not at the next drawn frame: a hidden tab draws none, and its title counts lines.
  update_mirror();
  notify_arrivals();
  if (wake_) wake_();
}

void Client::notify_arrivals() {
  const auto arrivals = model_.take_arrivals();
  if (notices_ != NoticeSwitch::on) return;
  const PageAttention page = ui::page_attention();
  for (const auto& arrival : arrivals) {
    const std::string where = arrival.dm.empty() ? arrival.room : "a direct message";
    if (auto notice = notice_for(arrival.line, where, model_.state().my_name, page)) {
      ui::show_notification(*notice);
    }
  }
}

// Off at once; on only once the browser allowed it (the page asks, from the press's activation).
void Client::toggle_notifications() {
  if (notices_ != NoticeSwitch::on) return ui::ask_notification_permission();
  notices_ = NoticeSwitch::off;
  ui::remember_notifications(false);
}

void Client::notifications_allowed(bool granted) {
  notices_ = granted ? NoticeSwitch::on : NoticeSwitch::blocked;
  ui::remember_notifications(granted);
  changed();
}

void Client::press(const std::string& widget) {
  view_.press(widget);
  changed();
}

void Client::focus_field(const std::string& field) {
  view_.focus_field(field);
  changed();
}

void Client::frame(double now, float device_pixel_ratio, ui::GlyphAtlas& atlas) {
  device_pixel_ratio_ = device_pixel_ratio;
  atlas_ = &atlas;
  shown_status_ = status_text(model_.state(), now);
  view_.set_notices(notices_);
  view_.draw(model_.state(), model_.visible_log(), now, model_, device_pixel_ratio, atlas);
  shown_typing_ = model_.state().typing;
  if (view_.take_notify_toggle()) toggle_notifications();
  update_mirror();
  flush();
}

void Client::update_mirror() {
  mirror_.update(model_.state(), model_.visible_log(), view_.rects(), shown_status_, notices_,
                 view_.secret_field_active());
}

void Client::join_room(const std::string& room) {
  if (room != model_.state().current_room) model_.join_room(room);
  changed();
}

std::string Client::snapshot(double now) const {
  return ui::snapshot_json(model_.state(), model_.visible_log(), view_, has_session_,
                           device_pixel_ratio_, atlas_, now);
}

// Also stores the session when it changed, so that a reload at any moment resumes.
void Client::flush() {
  for (const auto& text : model_.take_outgoing()) socket_.send(text);
  if (auto session = model_.take_session_to_save()) {
    net::store_session(*session);
    has_session_ = !session->token.empty();
  }
}

}  // namespace chat::client
