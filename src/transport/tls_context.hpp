// The OpenSSL side of tls_transport that does not depend on a connection:
// the SSL_CTX built from a tls_config, and the RFC 5922 check run inside
// certificate verification. Private to src/transport.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <system_error>

#include "sipua/result.hpp"
#include "sipua/transport/tls.hpp"

namespace sipua::detail {

struct ssl_ctx_free {
  void operator()(SSL_CTX* c) const noexcept { SSL_CTX_free(c); }
};
struct ssl_free {
  void operator()(SSL* s) const noexcept { SSL_free(s); }
};
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, ssl_ctx_free>;
using ssl_ptr = std::unique_ptr<SSL, ssl_free>;

/// What the verify callback checks the server's certificate against; one
/// per client SSL, reached through SSL ex_data.
struct tls_expected_peer {
  std::string server_name;  ///< RFC 5922 §7.3: the target's domain, or empty
  ip_address address;       ///< checked against iPAddress when server_name is empty
  bool accept_common_name = false;
};

/// An SSL_CTX with sipua's defaults applied: TLS 1.2+ (min_version),
/// SSL_MODE_RELEASE_BUFFERS, partial writes off, no renegotiation, the
/// configured (or system) trust store, our certificate and key, and the
/// verification callback.
class tls_context {
 public:
  /// Errors: the configuration tls_errc values; `detail` gets OpenSSL's
  /// reason.
  static result<std::shared_ptr<tls_context>, std::error_code> create(const tls_config& config,
                                                                      bool listening,
                                                                      std::string& detail);

  [[nodiscard]] SSL_CTX* get() const noexcept { return ctx_.get(); }
  [[nodiscard]] const tls_config& config() const noexcept { return config_; }

  /// A new client SSL expecting `peer` (SNI set from a non-empty name), or
  /// server SSL; null when OpenSSL runs out of memory.
  [[nodiscard]] ssl_ptr new_client(std::unique_ptr<tls_expected_peer> peer) const;
  [[nodiscard]] ssl_ptr new_server() const;

  /// The expectation attached to a client SSL (null on a server SSL).
  static const tls_expected_peer* expected_peer(const SSL* ssl) noexcept;

 private:
  explicit tls_context(const tls_config& c) : config_(c) {}
  ssl_ctx_ptr ctx_;
  tls_config config_;
};

}  // namespace sipua::detail

namespace sipua::detail {
/// OpenSSL's thread error queue as text ("error:0A000086:SSL routines::
/// certificate verify failed"; the last error), emptying it.
std::string take_openssl_errors();
}  // namespace sipua::detail
