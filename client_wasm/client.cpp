// Frame order: time first (it may ask for a connection), then the view (it may queue frames), then
// the frames go out. Socket events are handled as they come, between frames.
#include "client.hpp"

#include <emscripten/emscripten.h>

#include <utility>

#include "ui/snapshot.hpp"

namespace chat::client {
namespace {

double now_seconds() { return emscripten_get_now() / 1000.0; }

}  // namespace

Client::Client(std::string server_url)
    : server_url_(std::move(server_url)),
      socket_({
          [this] { model_.on_open(now_seconds()); flush(); },
          [this](std::string_view text) { model_.on_text(text, now_seconds()); flush(); },
          [this] { model_.on_close(now_seconds()); },
      }) {}

void Client::frame(double now, float device_pixel_ratio) {
  device_pixel_ratio_ = device_pixel_ratio;
  model_.tick(now);
  if (model_.take_connect_request()) socket_.open(server_url_);
  view_.draw(model_.state(), model_.visible_log(), now, model_, device_pixel_ratio);
  flush();
}

std::string Client::snapshot(double now) const {
  return ui::snapshot_json(model_.state(), model_.visible_log(), view_.rects(),
                           view_.active_field(), device_pixel_ratio_, now);
}

void Client::flush() {
  for (const auto& text : model_.take_outgoing()) socket_.send(text);
}

}  // namespace chat::client
