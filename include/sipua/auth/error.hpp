// Errors of the auth layer (category "sipua.auth"): why a client could not
// answer a challenge, and why a server refused credentials.
#pragma once

#include <system_error>

namespace sipua::auth {

/// Values are stable.
enum class auth_errc {
  ok = 0,
  // Client (digest_client::respond).
  no_challenge = 1,        ///< not a 401/407, or no WWW-/Proxy-Authenticate value in it
  no_supported_challenge,  ///< no Digest challenge with a known algorithm and qop
  no_credentials,          ///< no credentials for any challenged realm
  credentials_rejected,    ///< challenged again without stale=true: wrong user or password
  stale_loop,              ///< stale=true naming the very nonce just answered
  bad_challenge,           ///< a Digest challenge without realm or nonce, or -sess without qop
  hash_failed,             ///< libcrypto refused the hash (an MD5-less FIPS provider ...)
  no_random,               ///< digest_client_options::random is empty
  // Server (digest_server::verify): the verdict's reason.
  malformed_credentials,  ///< a Digest value for our realm that does not parse
  missing_parameter,      ///< username, nonce, uri, response (and cnonce, nc with qop)
  unsupported_algorithm,  ///< an algorithm the server did not offer
  unsupported_qop,        ///< a qop the server did not offer, or none when it is required
  bad_nonce,              ///< not a nonce of this server (format or MAC)
  nonce_expired,          ///< older than digest_server_options::nonce_lifetime
  nonce_replayed,         ///< this nc (or, without qop, this nonce) was already used
  unknown_user,           ///< the lookup knows no such user (or userhash)
  bad_response,           ///< the response digest does not match: wrong password
  uri_mismatch,           ///< uri differs from the Request-URI (require_uri_match only)
};

const std::error_category& auth_category() noexcept;

inline std::error_code make_error_code(auth_errc e) noexcept {
  return {static_cast<int>(e), auth_category()};
}

}  // namespace sipua::auth

template <>
struct std::is_error_code_enum<sipua::auth::auth_errc> : std::true_type {};
