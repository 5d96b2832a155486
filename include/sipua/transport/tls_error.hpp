// TLS errors: why a TLS connection failed (reported per connection in
// transport_error_event, with OpenSSL's own words in its `detail`), and why
// a TLS configuration was refused (tls_transport::start()). Category
// "sipua.tls". The certificate reasons come from the peer's certificate as
// this side judged it; peer_rejected_certificate is the peer's verdict on
// ours.
#pragma once

#include <system_error>

namespace sipua {

/// Values are stable.
enum class tls_errc {
  ok = 0,
  // --- a connection failed (transport_error_event::error) ---
  untrusted = 1,        ///< the chain does not lead to a trusted CA (self-signed, unknown issuer)
  expired = 2,          ///< a certificate in the chain is past its notAfter
  not_yet_valid = 3,    ///< a certificate in the chain is before its notBefore
  wrong_host = 4,       ///< no SIP domain identity (RFC 5922 §7.1) matches the target
  bad_certificate = 5,  ///< another verification failure (signature, usage, format ...)
  no_certificate = 6,   ///< the peer sent no certificate where one is required
  /// No cipher (or other parameter: group, signature algorithm) both sides
  /// accept; on the client this is the server's handshake_failure alert.
  no_shared_cipher = 7,
  protocol_version = 8,           ///< no TLS version both accept (sipua: 1.2 or later)
  peer_rejected_certificate = 9,  ///< the peer sent an alert about our certificate
  handshake_timeout = 10,         ///< no complete handshake within handshake_timeout
  handshake_failed = 11,          ///< any other handshake failure (detail says what)
  name_not_covered = 12,  ///< send(): the open connection's certificate does not cover the name
  // --- a configuration was refused (tls_transport::start()) ---
  certificate_load_failed = 20,  ///< the certificate chain does not load
  private_key_load_failed = 21,  ///< the private key does not load
  key_mismatch = 22,             ///< the private key does not belong to the certificate
  ca_load_failed = 23,           ///< the trusted CAs do not load
  missing_certificate = 24,      ///< listening (a server) without certificate and key
  bad_cipher_list = 25,          ///< cipher_list or ciphersuites selects nothing
};

const std::error_category& tls_category() noexcept;

inline std::error_code make_error_code(tls_errc e) noexcept {
  return {static_cast<int>(e), tls_category()};
}

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::tls_errc> : std::true_type {};
