// Frame order: time first (it may ask for a connection), then the view (it may queue frames), then
// the frames go out. Socket events are handled as they come, between frames.
#include "client.hpp"

#include <emscripten/emscripten.h>

#include <utility>

#include "net/session_storage.hpp"
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

Client::Client(std::string server_url) : Client(std::move(server_url), net::load_session()) {}

Client::Client(std::string server_url, const SavedSession& saved)
    : server_url_(std::move(server_url)),
      has_session_(!saved.token.empty()),
      model_(model_options(), saved),
      socket_({
          [this] { model_.on_open(now_seconds()); flush(); },
          [this](std::string_view text) { model_.on_text(text, now_seconds()); flush(); },
          [this](int code) { model_.on_close(now_seconds(), code); flush(); },
      }) {}

void Client::frame(double now, float device_pixel_ratio) {
  device_pixel_ratio_ = device_pixel_ratio;
  model_.tick(now);
  if (model_.take_connect_request()) socket_.open(server_url_);
  view_.draw(model_.state(), model_.visible_log(), now, model_, device_pixel_ratio);
  flush();
}

std::string Client::snapshot(double now) const {
  return ui::snapshot_json(model_.state(), model_.visible_log(), view_, has_session_,
                           device_pixel_ratio_, now);
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
