#include "server/core/history_budget.hpp"

namespace chat {

bool fit_history_budget(std::vector<ChatLine>& lines, bool keep_newest) {
  std::size_t bytes = 0;
  std::size_t kept = 0;
  for (; kept < lines.size(); ++kept) {
    const ChatLine& line = keep_newest ? lines[lines.size() - 1 - kept] : lines[kept];
    bytes += line.user.size() + line.text.size() + 48;  // 48: the JSON around them, generously
    for (const std::string& name : line.mentions) bytes += name.size() + 3;  // quotes and a comma
    if (bytes > kHistoryTextBudget && kept > 0) break;
  }
  if (kept == lines.size()) return false;
  if (keep_newest) {
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(kept));
  } else {
    lines.resize(kept);
  }
  return true;
}

}  // namespace chat
