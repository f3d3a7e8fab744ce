// The chat core's mentions (docs/ACCOUNTS.md, step 4): derived from a line's text on every node,
// never stored in the line. The words (mentions.hpp) are read by identity key, as a password
// login reads a name, and count only for accounts that may see the room, the author left out.
#include <algorithm>

#include "server/core/chat_service.hpp"
#include "server/core/mentions.hpp"

namespace chat {

std::vector<AccountId> ChatService::mentioned_accounts(const std::string& room, const std::string& text,
                                                       const std::string& author) const {
  std::vector<AccountId> found;
  if (text.find('@') == std::string::npos) return found;  // most lines: no ICU pass at all
  for (const std::string& word : mention_words(text, options_.limits)) {
    const auto account = account_named(word);
    if (!account || account_name(*account) == author || !may_see(*account, room)) continue;
    if (std::find(found.begin(), found.end(), *account) != found.end()) continue;
    found.push_back(*account);
    if (found.size() == kMaxMentionedAccounts) break;
  }
  return found;
}

void ChatService::fill_mentions(const std::string& room, ChatLine& line) const {
  line.mentions.clear();
  for (const AccountId account : mentioned_accounts(room, line.text, line.user)) {
    line.mentions.push_back(account_name(account));
  }
}

void ChatService::fill_mentions(const std::string& room, std::vector<ChatLine>& lines) const {
  for (ChatLine& line : lines) fill_mentions(room, line);
}

// Every node raises its own accounts' markers as the line arrives: the engine stores the mention
// once (the publishing node's raise_mentions) and tells no inbox.
void ChatService::note_mentions(const std::string& room, ChatLine& line) {
  line.mentions.clear();
  for (const AccountId account : mentioned_accounts(room, line.text, line.user)) {
    line.mentions.push_back(account_name(account));
    markers_.raise_mention(account, room, line.id, is_public(room));
  }
}

}  // namespace chat
