// lws_tls_cert_updated (lws 4.1.6) reloads, into each vhost whose certificate was loaded from these
// paths, the chain (SSL_CTX_use_certificate_chain_file) and the key (SSL_CTX_use_PrivateKey_file)
// into the vhost's SSL_CTX itself. It reports no failure (it returns 0), and a key that does not
// match the new chain would leave the SSL_CTX with one and not the other: every later handshake
// would fail. So the pair is first loaded into a scratch SSL_CTX here and checked.
// Connections already established keep working: OpenSSL copies the certificate into each SSL at
// SSL_new, so replacing the SSL_CTX's changes only handshakes that start afterwards.
#include "server/lws/tls_reload.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <uv.h>

#include <libwebsockets.h>

#include <memory>

#include "server/log.hpp"

namespace chat {
namespace {

std::string openssl_error(const std::string& what) {
  char text[256] = "";
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  ERR_clear_error();
  return what + ": " + text;
}

}  // namespace

bool reload_tls_certificate(lws_context* context, const std::string& cert_file, const std::string& key_file,
                            std::string& error) {
  const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> scratch(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!scratch) {
    error = openssl_error("SSL_CTX_new");
    return false;
  }
  if (SSL_CTX_use_certificate_chain_file(scratch.get(), cert_file.c_str()) != 1) {
    error = openssl_error(cert_file);
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(scratch.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = openssl_error(key_file);
    return false;
  }
  if (SSL_CTX_check_private_key(scratch.get()) != 1) {
    error = openssl_error("the key does not match the certificate");
    return false;
  }
  lws_tls_cert_updated(context, cert_file.c_str(), key_file.c_str(), nullptr, 0, nullptr, 0);
  return true;
}

void reload_tls_on_sighup(lws_context* context, const std::string& cert_file, const std::string& key_file) {
  if (cert_file.empty()) return log_line(LogLevel::info, "SIGHUP: no TLS certificate to reload");
  std::string error;
  if (!reload_tls_certificate(context, cert_file, key_file, error)) {
    return log_line(LogLevel::error, "SIGHUP: TLS certificate not reloaded, the current one stays: %s", error.c_str());
  }
  log_event(LogLevel::info, "tls_reloaded", {{"cert", cert_file}, {"key", key_file}});
}

}  // namespace chat
