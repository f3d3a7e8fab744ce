// The chat core's accounts (docs/ACCOUNTS.md): register, password logins, sessions.
#include "server/core/chat_service.hpp"

namespace chat {

// TODO(issue 16 step 2): the accounts themselves. Until then the server says so.
void ChatService::account_created(const StoredAccount&) {}

namespace {
const Error kNoAccounts{ErrorCode::not_allowed, "accounts are not served yet"};
}  // namespace

void ChatService::handle(const Request& request, const PasswordLogin&) { refuse(request, kNoAccounts); }
void ChatService::handle(const Request& request, const Register&) { refuse(request, kNoAccounts); }
void ChatService::handle(const Request& request, const Logout&) { refuse(request, kNoAccounts); }
void ChatService::handle(const Request& request, const ChangePassword&) { refuse(request, kNoAccounts); }
void ChatService::handle(const Request& request, const ListSessions&) { refuse(request, kNoAccounts); }
void ChatService::handle(const Request& request, const EndSession&) { refuse(request, kNoAccounts); }

}  // namespace chat
