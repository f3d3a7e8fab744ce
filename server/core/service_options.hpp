// What a ChatService is built with: its settings (caps, rates, intervals; server/main.cpp fills
// them from the command line) and the ports it talks through.
#pragma once

#include <cstddef>
#include <cstdint>

#include "server/accounts/login_attempt_limiter.hpp"
#include "server/accounts/password_policy.hpp"
#include "server/core/rate_limits.hpp"
#include "server/core/resume_tokens.hpp"
#include "server/ports/clock.hpp"
#include "server/ports/engine.hpp"
#include "server/ports/password_hasher.hpp"
#include "server/ports/random_source.hpp"
#include "server/ports/secret_hasher.hpp"
#include "server/ports/transport.hpp"
#include "shared/limits.hpp"

namespace chat {

struct ServiceOptions {
  Limits limits;
  RateLimits rates;
  std::int64_t name_grace_ms = 60'000;   // a dropped v2 client's name stays reserved this long
  std::size_t max_store_backlog = 20'000;  // engine requests in flight before sends get server_busy
  int catch_up_page = 500;               // lines per history frame when a resume catches up
  std::size_t max_rooms = 1000;          // general included; creations beyond get too_many_rooms
  // Seed clients get the whole room list on every change (the seed's contract); at most this
  // often, so that a burst of creations is one list per client, not one per creation.
  std::int64_t rooms_list_interval_ms = 1000;
  std::size_t max_tracked_addresses = 100'000;  // per-address limits keep at most this many
  TokenPolicy tokens;                      // resume tokens: expiry when unused, cap per name
  // v2 logins that create a token, per client address per hour (all at once if need be); 0: no cap.
  // As many as one address may hold connections: a classroom behind one NAT arrives together.
  std::size_t new_tokens_per_address_hour = 500;
  // Room creations per client address per hour, across all its connections (all at once if need
  // be; an address may hold hundreds of connections); 0: no cap.
  std::size_t new_rooms_per_address_hour = 10;
  // Accounts (each ~250 bytes of every node's memory, and a database row): at most this many;
  // registrations beyond get too_many_accounts. It may be passed by the registrations in flight
  // when it is reached (bounded by the password hasher's capacity).
  std::size_t max_accounts = 100'000;
  // Registrations per client address per hour (all at once if need be: a class signing up
  // together behind one NAT); 0: no cap.
  std::size_t new_accounts_per_address_hour = 60;
  // Private rooms (docs/ACCOUNTS.md, Step 3): members per room, owner included; invitations beyond
  // get too_many_members (invitations in flight at that moment may pass it by their number).
  std::size_t max_room_members = 1000;
  // Direct conversations (not counted in max_rooms): at most this many, then too_many_rooms; and
  // new ones per account per hour (all at once if need be), then rate_limited; 0: no cap.
  std::size_t max_conversations = 100'000;
  std::size_t new_conversations_per_hour = 60;
  // Typing notices (docs/ACCOUNTS.md, step 4) passed on per connection: at most one per this many
  // ms, the others dropped without an answer; 0: no spacing (tests).
  std::int64_t typing_interval_ms = 3000;
  PasswordRules passwords;            // new passwords (register, change_password)
  LoginAttemptPolicy login_attempts;  // password tries per name and per address
};

struct Ports {
  Transport& transport;
  Engine& engine;
  Clock& clock;
  RandomSource& random;
  SecretHasher& hasher;
  PasswordHasher& passwords;  // account passwords: off the loop, completions on it
};

}  // namespace chat
