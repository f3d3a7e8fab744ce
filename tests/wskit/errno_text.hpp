// The text a failed system call leaves in errno, after what was being done: "connect: Connection
// refused". Both socket layers (the blocking TestSocket, the non-blocking WsConnection) report so.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

namespace wskit {

inline std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace wskit
