// What the client keeps across a page reload (the browser glue stores it in sessionStorage): who
// it was, the secret that gives the name back, and where it was. Plain data.
#pragma once

#include <string>

namespace chat::client {

struct SavedSession {
  std::string user;
  std::string token;  // empty: nothing to resume
  std::string room;
  bool account = false;  // the token is an account's session (signed in), not a guest's

  bool operator==(const SavedSession& other) const {
    return user == other.user && token == other.token && room == other.room && account == other.account;
  }
  bool operator!=(const SavedSession& other) const { return !(*this == other); }
};

}  // namespace chat::client
