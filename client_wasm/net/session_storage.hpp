// The tab's sessionStorage for the client's SavedSession, so that a reload resumes the same name
// and room. sessionStorage, not localStorage: each tab is its own user, and the token dies with it.
#pragma once

#include "app/saved_session.hpp"

namespace chat::client::net {

SavedSession load_session();                 // empty if none was saved or storage is off
void store_session(const SavedSession& session);  // an empty token erases it

}  // namespace chat::client::net
