// The client side of SIP digest authentication (RFC 3261 §22.2, §22.3;
// RFC 7616 §3.4; RFC 8760 §2.4): answers a 401/407 with Authorization /
// Proxy-Authorization values and keeps one authentication session per
// realm so that later requests carry credentials pre-emptively (RFC 7616
// §3.6, RFC 3261 §22.2 "attempt to re-use these values") with the nonce
// count incremented.
//
// Sans-I/O: no clock; the cnonce comes from the injected random source.
// Single-threaded like the rest of the core. Re-sending the request (new
// CSeq, RFC 3261 §22.2) is the UA core's job; this class only makes the
// header values.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sipua/auth/credentials.hpp"
#include "sipua/auth/error.hpp"
#include "sipua/message/auth.hpp"
#include "sipua/message/message.hpp"
#include "sipua/result.hpp"

namespace sipua::auth {

struct digest_client_options {
  /// Random source for the cnonce (two calls, 128 bits, per new nonce).
  /// Required.
  std::function<std::uint64_t()> random;
  /// When a challenge offers both, answer with auth-int (RFC 7616 §3.3)
  /// instead of auth. Off: auth-int covers the body, but only end to end
  /// with nothing on the path changing the body, and many servers get it
  /// wrong; auth is what SIP deployments verify.
  bool prefer_auth_int = false;
  /// Answer a challenge whose userhash=true with the hashed username
  /// (RFC 7616 §3.4.4). On by default ("the client MUST" when it supports
  /// it).
  bool userhash = true;
  /// Sessions (realms) kept at most; answering a new realm beyond this
  /// drops the oldest session. Bounds what a response naming many realms
  /// (with a default credential in the store) can make every later request
  /// carry.
  std::size_t max_sessions = 8;
};

/// The request being (re-)sent: what A2 covers.
struct request_info {
  std::string_view method;       ///< "INVITE", as in the Request-Line
  std::string_view request_uri;  ///< becomes the digest "uri" (RFC 3261 §22.4 item 3)
  std::string_view body;         ///< the body, for auth-int
  /// respond() only: the Authorization and Proxy-Authorization values the
  /// request that drew the challenge carried. They tell a stale nonce
  /// (retry) from rejected credentials (give up). The message overload of
  /// respond() fills this itself.
  std::span<const std::string_view> sent_authorizations;
  std::span<const std::string_view> sent_proxy_authorizations;
};

/// One header field to add to the request.
struct authorization {
  bool proxy = false;  ///< Proxy-Authorization (407) rather than Authorization (401)
  std::string value;   ///< "Digest username=..., ..."
  [[nodiscard]] std::string_view name() const noexcept {
    return proxy ? "Proxy-Authorization" : "Authorization";
  }
};

/// One challenge as received: the value of a WWW-Authenticate (proxy =
/// false) or Proxy-Authenticate (proxy = true) field.
struct challenge_field {
  bool proxy = false;
  std::string_view value;
};

class digest_client {
 public:
  /// `store` is read on each call and must outlive the client.
  digest_client(const credential_store& store, digest_client_options options);

  /// Answers a 401/407. For each challenged realm the strongest challenge
  /// we support is chosen (SHA-512-256 > SHA-256 > MD5, -sess variants
  /// ranked with their hash, the topmost first among equals; unknown
  /// algorithms and non-Digest schemes are ignored; RFC 7616 §3.7 and
  /// RFC 8760 §2.4 allow this local policy). Returns the header values for
  /// the retried request: one per realm this client holds a session for,
  /// the challenged realms with their new nonce (nc=00000001), the others
  /// re-used with nc incremented.
  ///
  /// A challenge for a realm whose credentials the request already carried
  /// is a retry only with stale=true (RFC 7616 §3.3) or when those
  /// credentials were a pre-emptive re-use (nc > 1: the server forgot the
  /// nonce); otherwise the credentials were rejected (RFC 3261 §22.1: "MUST
  /// NOT re-attempt requests with the credentials that have just been
  /// rejected") and the answer is credentials_rejected; the realm's
  /// session is dropped. So a wrong password costs one round trip, never a
  /// loop.
  ///
  /// Errors (auth_errc): no_challenge (no field given), no_supported_challenge,
  /// no_credentials (none for any supported challenge's realm), bad_challenge
  /// (realm or nonce missing, -sess without qop, and nothing else usable),
  /// credentials_rejected, stale_loop, hash_failed, no_random.
  result<std::vector<authorization>, std::error_code> respond(
      std::span<const challenge_field> challenges, const request_info& request);

  /// The same from messages: `response` is the 401/407 and `request` the
  /// request it answers (method, Request-URI, body and the credentials it
  /// carried are taken from it). no_challenge if `response` is not a 401
  /// or 407.
  result<std::vector<authorization>, std::error_code> respond(const message& response,
                                                              const message& request);

  /// Pre-emptive credentials for a new request (RFC 3261 §22.2, RFC 7616
  /// §3.6): one value per session this client holds, with the nonce count
  /// incremented. Empty before any respond(). Fails only with hash_failed.
  result<std::vector<authorization>, std::error_code> authorize(const request_info& request);

  /// Forgets every session (not the credentials).
  void reset() noexcept { sessions_.clear(); }
  /// How many realms the client holds a session for.
  [[nodiscard]] std::size_t session_count() const noexcept { return sessions_.size(); }

  /// One realm's authentication session (RFC 7616 §3.6). Public for the
  /// implementation's helpers; not part of the stable API.
  struct session {
    bool proxy = false;
    std::string realm;    ///< unq(realm)
    std::string realm_q;  ///< realm as received (quoted-pairs kept)
    digest_algorithm algorithm = digest_algorithm::md5;
    std::string algorithm_name;  ///< as the challenge wrote it; empty if absent
    std::string nonce;           ///< as received
    std::string opaque;          ///< as received
    bool has_opaque = false;
    std::string qop;  ///< "auth", "auth-int" or empty (RFC 2069)
    bool userhash = false;
    std::string user;
    std::string ha1;
    std::string cnonce;
    std::uint32_t nc = 0;
  };

 private:
  const credential_store* store_;
  digest_client_options options_;
  std::vector<session> sessions_;
};

}  // namespace sipua::auth
