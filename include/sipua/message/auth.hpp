// Authentication headers: challenges (WWW-Authenticate, Proxy-Authenticate;
// RFC 3261 §20.27, §20.44, §25.1; RFC 2617 §3.2.1; RFC 7616 §3.3; RFC 8760
// §2.7) and credentials (Authorization, Proxy-Authorization; RFC 2617
// §3.2.2; RFC 7616 §3.4).
//
// Both are `auth-scheme LWS auth-param *(COMMA auth-param)` with
// auth-param = token EQUAL ( token / quoted-string ). Any scheme parses
// generically (RFC 4475 §3.3.7 "NoOneKnowsThisScheme"); for Digest every
// parameter of RFC 7616 also gets a typed view.
//
// Views point into the text given to the parser and stay valid as long as it
// does. Quoted values are given as their content, without the surrounding
// quotes and with quoted-pairs left as written (unescape_quoted() makes the
// RFC 7616 "unq()" string).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sipua/message/detail/text_iterator.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// The Digest algorithm parameter (RFC 7616 §3.3, RFC 8760 §2.7). Names
/// match case-insensitively; anything else is `other` (RFC 7616: "If the
/// algorithm is not understood, the challenge SHOULD be ignored").
enum class digest_algorithm : std::uint8_t {
  md5,
  md5_sess,
  sha_256,
  sha_256_sess,
  sha_512_256,
  sha_512_256_sess,
  other,
};

/// The id of an algorithm name ("MD5", "sha-256-sess" ...).
digest_algorithm to_digest_algorithm(std::string_view name) noexcept;

/// A qop-value (RFC 3261 §25.1: "auth" / "auth-int" / token), matched
/// case-insensitively.
enum class qop_value : std::uint8_t { auth, auth_int, other };
qop_value to_qop_value(std::string_view token) noexcept;

namespace detail {
/// auth_params' Step (see text_iterator): one auth-param after an optional
/// COMMA.
class auth_param_step : public text_cursor<param> {
 protected:
  void load() noexcept;
};

/// uri_words' Step (see text_iterator): one run of non-SP characters.
class uri_word_step : public text_cursor<std::string_view> {
 protected:
  void load() noexcept;
};
}  // namespace detail

/// The validated auth-params of one challenge or credentials, in order.
/// Each is yielded as a `param` whose value is as written (quotes
/// included); names compare case-insensitively (RFC 7235 §2.2).
class auth_params {
 public:
  auth_params() = default;
  explicit auth_params(std::string_view raw) noexcept : raw_(raw) {}

  /// Yields each auth-param by value (a `param` viewing the text).
  using iterator = detail::text_iterator<detail::auth_param_step>;

  [[nodiscard]] iterator begin() const noexcept { return {raw_, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {raw_, raw_.size()}; }
  [[nodiscard]] bool empty() const noexcept { return raw_.empty(); }
  /// From the first parameter's name to the end of the last one's value.
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }
  /// The first parameter named `name` (case-insensitive), if any.
  [[nodiscard]] std::optional<param> find(std::string_view name) const noexcept;

 private:
  std::string_view raw_;
};

/// Iterates a Digest domain value: URIs separated by one or more SP
/// (RFC 7616 §3.3, RFC 3261 §25.1 domain).
class uri_words {
 public:
  uri_words() = default;
  explicit uri_words(std::string_view content) noexcept : v_(content) {}

  /// Yields each URI by value (a view of the text).
  using iterator = detail::text_iterator<detail::uri_word_step>;

  [[nodiscard]] iterator begin() const noexcept { return {v_, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {v_, v_.size()}; }

 private:
  std::string_view v_;
};

/// Named leniencies. Everything is off by default: the grammar of RFC 3261
/// §25.1 (with RFC 7616 and RFC 8760 additions) is enforced.
struct auth_parse_options {
  /// Accept, for the Digest parameters:
  /// - a token where a quoted-string is required (realm, domain, nonce,
  ///   opaque, qop-options, username, uri, response, cnonce) and a
  ///   quoted-string where a token is required (stale, algorithm,
  ///   message-qop, nc, username*), as RFC 7235 §2.2 tells recipients
  ///   they "might have to" for realm;
  /// - upper-case hex digits in nc and response (LHEX is lower case);
  /// - a stale value other than true/false, read as false (RFC 7616 §3.3:
  ///   "If stale is false, or anything other than true ...").
  bool relaxed_digest_values = false;
  /// parse_challenge only: RFC 7235 §4.1 lets one field value carry a
  /// comma-separated list of challenges; RFC 3261 §25.1 does not (one
  /// challenge per field, several challenges as several fields). By default
  /// a second challenge in the value is an error (bad_header_value at its
  /// scheme). With this set, parsing stops before the comma that precedes
  /// the next challenge and challenge::rest holds the remaining text.
  bool allow_challenge_list = false;
};

/// WWW-Authenticate / Proxy-Authenticate value.
struct challenge {
  std::string_view scheme;  ///< as written ("Digest", "NoOneKnowsThisScheme")
  bool is_digest = false;   ///< scheme is "Digest" (case-insensitive, RFC 7235 §2.1)
  auth_params params;       ///< every auth-param in order, the Digest ones included

  // Digest parameters (RFC 7616 §3.3); set only when is_digest.
  std::optional<std::string_view> realm;   ///< content of the quoted-string
  std::optional<std::string_view> domain;  ///< content; iterate with domain_uris()
  std::optional<std::string_view> nonce;   ///< content
  std::optional<std::string_view> opaque;  ///< content
  std::optional<bool> stale;               ///< "true"/"false", any case
  /// Absent means MD5 (RFC 7616 §3.3).
  std::optional<digest_algorithm> algorithm;
  std::string_view algorithm_name;  ///< as written; empty when absent
  /// qop-options content ("auth,auth-int"): qop-values separated by commas
  /// (LWS allowed); iterate with comma_list.
  std::optional<std::string_view> qop;
  bool qop_auth = false;                    ///< "auth" offered
  bool qop_auth_int = false;                ///< "auth-int" offered
  std::optional<std::string_view> charset;  ///< always "UTF-8" in some case (RFC 7616 §3.3)
  std::optional<bool> userhash;             ///< RFC 7616 §3.3

  /// Only with auth_parse_options::allow_challenge_list: the text of the
  /// following challenges (from the next scheme to the end), else empty.
  std::string_view rest;

  [[nodiscard]] uri_words domain_uris() const noexcept { return uri_words{domain.value_or("")}; }
  /// qop-options lists this value (case-insensitive).
  [[nodiscard]] bool offers_qop(std::string_view value) const noexcept;
};

/// Authorization / Proxy-Authorization value.
struct credentials {
  std::string_view scheme;  ///< as written
  bool is_digest = false;   ///< scheme is "Digest" (case-insensitive)
  auth_params params;       ///< every auth-param in order, the Digest ones included

  // Digest parameters (RFC 7616 §3.4); set only when is_digest.
  std::optional<std::string_view> username;  ///< content of the quoted-string
  /// RFC 7616 §3.4 / RFC 5987 ext-value as written ("UTF-8''J%C3%A4s...").
  std::optional<std::string_view> username_star;
  std::optional<std::string_view> realm;      ///< content
  std::optional<std::string_view> nonce;      ///< content
  std::optional<std::string_view> uri;        ///< content; parse with parse_uri
  std::optional<std::string_view> response;   ///< content: *LHEX (RFC 8760 §2.7)
  std::optional<std::string_view> cnonce;     ///< content
  std::optional<std::string_view> opaque;     ///< content
  std::optional<digest_algorithm> algorithm;  ///< absent means MD5
  std::string_view algorithm_name;            ///< as written; empty when absent
  std::optional<std::string_view> qop;        ///< message-qop token as written
  std::optional<std::uint32_t> nc;            ///< nonce-count, 8LHEX
  std::string_view nc_text;                   ///< the 8 hex digits as written
  std::optional<bool> userhash;
};

/// Parses one challenge. Errors (offsets into `text`):
/// - bad_header_value: no scheme token; no LWS then auth-param after the
///   scheme; an auth-param without '=' or value; an empty list element
///   (",," or a trailing comma); text after the last auth-param; a second
///   challenge (unless allow_challenge_list), at its scheme.
/// - bad_quoted_string: an unterminated quoted-string, a bad quoted-pair or
///   a control character inside one, at its opening quote.
/// - bad_param (Digest only): a Digest parameter given twice (at the second
///   name); a value that does not match its grammar (at the value): realm,
///   domain, nonce, opaque, qop not quoted; domain neither empty (RFC 7616
///   §3.3 allows it) nor `URI *(1*SP URI)` of visible characters;
///   stale/userhash not true/false; algorithm or stale quoted; qop content
///   not `token *("," token)`; charset not UTF-8.
/// Which Digest parameters are required is the digest layer's business:
/// none is checked here. Unknown parameters (and all parameters of other
/// schemes) may repeat; they are kept in `params`.
parse_result<challenge> parse_challenge(std::string_view text,
                                        const auth_parse_options& options = {}) noexcept;

/// Parses credentials. Errors as parse_challenge (a second scheme after a
/// comma is bad_header_value: credentials never come as a list), and for
/// Digest bad_param when: username, realm, nonce, uri, response, cnonce,
/// opaque not quoted; algorithm, qop, nc, username* quoted; response not
/// *LHEX; nc not 8LHEX; username* not an RFC 5987 ext-value; userhash not
/// true/false; both username and username* present (RFC 7616 §3.4: "MUST
/// be treated as an error"; reported at the second of the two).
parse_result<credentials> parse_credentials(std::string_view text,
                                            const auth_parse_options& options = {}) noexcept;

/// RFC 7616 "unq()": the content of a quoted-string with each quoted-pair
/// replaced by the character it escapes.
std::string unescape_quoted(std::string_view content);

}  // namespace sipua
