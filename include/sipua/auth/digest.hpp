// The digest computation shared by client and server (RFC 7616 §3.4.1 -
// §3.4.4; RFC 2617 §3.2.2.1 for the qop-less RFC 2069 form; RFC 8760 §2.6
// item 7 for auth-int with no body). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "sipua/auth/hash.hpp"
#include "sipua/message/auth.hpp"

namespace sipua::auth {

/// What a response digest covers. Every view is unq()'d text (quoted-pairs
/// already removed) and need only live for the call.
struct digest_input {
  digest_algorithm algorithm = digest_algorithm::md5;
  /// H(unq(username) ":" unq(realm) ":" passwd) in lower-case hex: the
  /// non-session HA1, also for the -sess variants (it becomes the session
  /// key with nonce and cnonce, RFC 7616 §3.4.2).
  std::string_view ha1;
  std::string_view nonce;
  std::string_view cnonce;  ///< with qop only
  std::string_view nc;      ///< 8 hex digits as sent; with qop only
  /// "auth", "auth-int", or empty for the RFC 2069 form (no qop).
  std::string_view qop;
  std::string_view method;  ///< the request method ("INVITE")
  std::string_view uri;     ///< the digest-uri (the "uri" parameter)
  std::string_view body;    ///< the entity body, for auth-int
};

/// H(user ":" realm ":" password) for the algorithm's hash (RFC 7616
/// §3.4.2); empty when the hash is unavailable or the algorithm unknown.
std::string compute_ha1(digest_algorithm a, std::string_view user, std::string_view realm,
                        std::string_view password);

/// The response digest, lower-case hex (RFC 7616 §3.4.1; without qop
/// KD(HA1, nonce ":" HA2), RFC 2617 §3.2.2.1). Empty when the hash is
/// unavailable or the algorithm unknown.
std::string compute_response(const digest_input& in);

/// RFC 7616 §3.4.4: H(unq(username) ":" unq(realm)) with the algorithm's
/// hash; empty as compute_ha1.
std::string compute_userhash(digest_algorithm a, std::string_view user, std::string_view realm);

/// The quoted-string for `text`: '"' and '\' escaped as quoted-pairs
/// (RFC 3261 §25.1), the surrounding quotes included.
std::string quote(std::string_view text);

}  // namespace sipua::auth
