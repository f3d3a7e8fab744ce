// Read markers, unread counts, mentions and typing (docs/ACCOUNTS.md, step 4).
// TODO(issue 16 step 4): the core's part; until then mark_read and typing are refused.
#include "server/core/chat_service.hpp"

namespace chat {

void ChatService::handle(const Request& request, const MarkRead&) {
  refuse(request, Error{ErrorCode::not_allowed, "read markers are not built yet"});
}

void ChatService::handle(const Request& request, const Typing&) {
  refuse(request, Error{ErrorCode::not_allowed, "typing is not built yet"});
}

void ChatService::read_marker_raised(AccountId, const std::string&, std::int64_t) {}

void ChatService::typing(const std::string&, const std::string&, const std::string&) {}

}  // namespace chat
