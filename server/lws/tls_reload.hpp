// SIGHUP's work: loads a renewed TLS certificate and key into the running vhost, so that new
// handshakes present it while established connections go on with the one they started with.
#pragma once

#include <string>

struct lws_context;

namespace chat {

// Checks that the files hold a certificate chain and the private key that matches it, then hands
// them to lws. False, with `error` set, if they do not: the current certificate stays in use (a
// renewal tool that wrote half its files must not take the service down).
bool reload_tls_certificate(lws_context* context, const std::string& cert_file, const std::string& key_file,
                            std::string& error);

// SIGHUP: the reload above, logged (event tls_reloaded, or why not). A plain server (no files)
// logs that there is nothing to reload: it must not die of the signal either.
void reload_tls_on_sighup(lws_context* context, const std::string& cert_file, const std::string& key_file);

}  // namespace chat
