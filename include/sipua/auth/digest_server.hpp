// The server side of SIP digest authentication (RFC 3261 §22.2-§22.4;
// RFC 7616 §3.3, §3.6, §5; RFC 8760 §2.3, §2.6): challenges and the
// verification of Authorization / Proxy-Authorization values.
//
// Stateless nonces: a nonce is hex(issue time) hex(serial) hex(MAC), the
// MAC being HMAC-SHA-256 (truncated to 128 bits) with the server secret
// over the time, the serial and the realm; nothing is stored per nonce
// issued.
// Only nonces that come back are remembered, for nc replay protection, in a
// bounded LRU (nonce_cache).
//
// Sans-I/O: `now` is an argument (a steady_clock time point, like the rest
// of the core), and the serial starts at a point drawn from the injected
// random source.
// Single-threaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sipua/auth/error.hpp"
#include "sipua/auth/hash.hpp"
#include "sipua/auth/nonce_cache.hpp"
#include "sipua/message/auth.hpp"
#include "sipua/message/message.hpp"

namespace sipua::auth {

/// A user's secret as the lookup returns it: the password, or HA1 =
/// H(user ":" realm ":" password) for the hash asked (RFC 7616 §3.6: "As
/// long as H(A1) is available to the server ..."). HA1 wins when both are
/// set.
struct user_secret {
  std::optional<std::string> password;
  std::optional<std::string> ha1;
};

/// (user, realm, hash) → the secret, or nullopt for an unknown user.
using credential_lookup =
    std::function<std::optional<user_secret>(std::string_view, std::string_view, hash_algorithm)>;
/// (userhash, realm, hash) → the user name whose H(user ":" realm) it is,
/// or nullopt (RFC 7616 §3.4.4). Needed only with userhash on.
using userhash_lookup =
    std::function<std::optional<std::string>(std::string_view, std::string_view, hash_algorithm)>;

struct digest_server_options {
  std::string realm;  ///< RFC 3261 §22.1: globally unique, with a host or domain name
  /// Offered algorithms, one challenge each, in this order (RFC 8760 §2.3:
  /// most preferred first). The default is strongest first (RFC 7616 §3.7);
  /// MD5 stays last for RFC 2617 clients.
  std::vector<digest_algorithm> algorithms{digest_algorithm::sha_512_256, digest_algorithm::sha_256,
                                           digest_algorithm::md5};
  bool offer_auth_int = true;  ///< qop="auth,auth-int" rather than qop="auth"
  /// Accept RFC 2069 credentials (no qop, RFC 3261 §22.4: servers "MUST
  /// ensure they are backwards compatible with RFC 2069"). Without nc, such
  /// a nonce is accepted once; its second use draws stale=true.
  bool accept_rfc2069 = true;
  /// Refuse (bad_request, uri_mismatch) credentials whose uri is not the
  /// Request-URI byte for byte. Off: RFC 8760 §2.6 item 6, proxies may
  /// rewrite the Request-URI; the verdict reports the uri that was signed.
  bool require_uri_match = false;
  /// How long a nonce is good for; after that, stale=true.
  std::chrono::steady_clock::duration nonce_lifetime = std::chrono::minutes(5);
  /// Nonces remembered for replay protection (nonce_cache).
  std::size_t replay_capacity = 1024;
  /// Offer userhash=true (RFC 7616 §3.4.4); needs `resolve_userhash`.
  bool userhash = false;
  userhash_lookup resolve_userhash;
  /// Where the nonce serial starts (one call). If empty, at 0.
  std::function<std::uint64_t()> random;
};

/// The request being checked.
struct server_request {
  std::string_view method;       ///< as in the Request-Line
  std::string_view request_uri;  ///< the Request-URI
  std::string_view body;         ///< for auth-int
};

enum class verdict_kind : std::uint8_t {
  ok,           ///< authenticated: `user`
  challenge,    ///< no credentials for our realm: answer 401/407 with `challenges`
  stale,        ///< right password, nonce expired/replayed/unknown: 401/407, stale=true
  forbidden,    ///< wrong password or unknown user: 403, or 401/407 with `challenges`
  bad_request,  ///< malformed or incomplete credentials: 400 (RFC 7616 §3.4 "4xx")
};

struct verdict {
  verdict_kind kind = verdict_kind::challenge;
  /// Why not ok (auth_errc); empty for `challenge` when no credentials for
  /// our realm were sent at all.
  std::error_code reason;
  std::string user;  ///< ok: the user name (resolved from the userhash if hashed)
  std::string uri;   ///< ok: the digest uri the response covered (unq)
  /// Everything but ok: the challenge values, one per offered algorithm in
  /// option order (stale=true for `stale`), for WWW-Authenticate (401) or
  /// Proxy-Authenticate (407).
  std::vector<std::string> challenges;
};

class digest_server {
 public:
  /// `secret` keys the nonce MAC: at least 16 random bytes, kept for as
  /// long as issued nonces should stay good (a new secret makes every
  /// outstanding nonce stale).
  digest_server(digest_server_options options, std::string secret, credential_lookup lookup);

  /// Fresh challenge values, one per offered algorithm (RFC 8760 §2.3). All
  /// share one nonce (RFC 7616 §3.9.1 does the same).
  std::vector<std::string> challenges(std::chrono::steady_clock::time_point now,
                                      bool stale = false);

  /// Checks the Authorization (or Proxy-Authorization) values of a request.
  /// Values for other realms or schemes are ignored (RFC 3261 §22.3).
  /// Not for ACK or CANCEL: RFC 3261 §22.1, servers MUST NOT challenge
  /// them, and an ACK carries its INVITE's credentials (same nc, INVITE's
  /// method in the digest), which this check would call a replay.
  verdict verify(const server_request& request, std::span<const std::string_view> credentials,
                 std::chrono::steady_clock::time_point now);

  /// The same from a parsed request: `proxy` picks Proxy-Authorization.
  verdict verify(const message& request, bool proxy, std::chrono::steady_clock::time_point now);

  [[nodiscard]] const digest_server_options& options() const noexcept { return options_; }
  /// Nonces remembered for replay protection; never above replay_capacity.
  [[nodiscard]] std::size_t remembered_nonces() const noexcept { return seen_.size(); }

 private:
  struct nonce_info {
    bool valid = false;        ///< ours (format and MAC)
    std::uint64_t issued = 0;  ///< ms of the issuing `now`
    std::uint64_t serial = 0;  ///< issue order
  };
  std::string make_nonce(std::uint64_t ms);
  [[nodiscard]] nonce_info check_nonce(std::string_view nonce) const;
  verdict finish(verdict_kind kind, auth_errc why, std::chrono::steady_clock::time_point now);
  verdict check(const credentials& c, const server_request& request,
                std::chrono::steady_clock::time_point now);
  [[nodiscard]] std::optional<std::string> resolve_user(const credentials& c,
                                                        hash_algorithm h) const;

  digest_server_options options_;
  std::string secret_;
  credential_lookup lookup_;
  nonce_cache seen_;
  std::uint64_t serial_ = 0;
  bool serial_started_ = false;
};

}  // namespace sipua::auth
