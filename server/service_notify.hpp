// Tells the service manager (systemd, Type=notify) that the server is ready: it listens. Nothing
// else of systemd is used. A no-op when not started by systemd (NOTIFY_SOCKET unset).
#pragma once

namespace chat {

void notify_service_ready();

}  // namespace chat
