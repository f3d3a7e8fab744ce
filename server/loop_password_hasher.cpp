#include "server/loop_password_hasher.hpp"

#include "server/log.hpp"

namespace chat {

bool LoopPasswordHasher::start(uv_loop_s* loop) {
  poster_ = std::make_unique<UvLoopPoster>(loop);
  hasher_ = std::make_unique<SodiumPasswordHasher>(*poster_, options_);
  if (hasher_->threads() > 0) return true;
  log_line(LogLevel::error, "the password hasher (libsodium) could not start: sign-ins with a password answer server_busy");
  return false;
}

void LoopPasswordHasher::stop() {
  hasher_.reset();
  poster_.reset();
}

}  // namespace chat
