// A history frame must stay under every client's frame limit (256 KiB) whatever the lines' sizes:
// 200 lines of 4 KiB would be 800 KiB. Pages are cut at kHistoryTextBudget of text (JSON escaping
// can at most double it; mentions count as text) and the frame's `more` then says there is more to fetch.
#pragma once

#include <cstddef>
#include <vector>

#include "shared/protocol.hpp"

namespace chat {

constexpr std::size_t kHistoryTextBudget = 96 * 1024;

// Keeps the lines nearest the page's anchor that fit the budget (at least one): the newest when
// paging back, the oldest when catching up. True if it cut any.
bool fit_history_budget(std::vector<ChatLine>& lines, bool keep_newest);

}  // namespace chat
