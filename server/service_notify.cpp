// sd_notify sends one datagram to $NOTIFY_SOCKET and returns 0 at once when it is unset; it never
// blocks the caller for long (a local datagram), and a failure only costs systemd's start timeout.
#include "server/service_notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstring>

#include "server/log.hpp"

namespace chat {

void notify_service_ready() {
  const int sent = sd_notify(0, "READY=1");
  if (sent < 0) log_line(LogLevel::warn, "cannot tell the service manager that the server is ready: %s", std::strerror(-sent));
}

}  // namespace chat
