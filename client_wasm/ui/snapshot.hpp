// A read-only JSON picture of what the client shows, for the browser tests: they read it to find
// where to click and to check the outcome, and act only through real mouse and keyboard events.
#pragma once

#include <string>
#include <vector>

#include "app/view_state.hpp"
#include "ui/chat_view.hpp"
#include "ui/glyph_atlas.hpp"

namespace chat::client::ui {

// has_session: a resume token is stored for this tab (the token itself is never shown).
// atlas: the glyphs drawn last frame (null before the first frame).
std::string snapshot_json(const ViewState& state, const std::vector<LogLine>& log,
                          const ChatView& view, bool has_session, float device_pixel_ratio,
                          const GlyphAtlas* atlas, double now);

}  // namespace chat::client::ui
