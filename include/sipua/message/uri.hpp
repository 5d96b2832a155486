// URIs: sip and sips (RFC 3261 §19.1, §25.1), tel (RFC 3966), and any other
// scheme kept as an opaque absoluteURI. Parsing is zero-copy: every view
// points into the text given to parse_uri.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sipua/message/host.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

enum class uri_scheme : std::uint8_t { sip, sips, tel, other };

/// SIP-URI / SIPS-URI = "sip:"/"sips:" [ userinfo ] hostport uri-parameters [ headers ]
/// (RFC 3261 §25.1). All views point into the text given to parse_uri.
struct sip_uri {
  bool secure = false;        ///< sips:
  bool has_user = false;      ///< userinfo ("user[:password]@") present
  bool has_password = false;  ///< ":password" present (it may be empty)
  std::string_view user;      ///< as written, %-escapes kept (see unescape)
  std::string_view password;  ///< as written
  std::string_view host;      ///< as written; IPv6 reference keeps its brackets
  host_type host_kind = host_type::name;
  std::optional<std::uint16_t> port;
  /// uri-parameters, starting at the first ';' (empty if none). Names and
  /// values as written, escapes kept; each is 1*paramchar. The values of
  /// the well-known parameters are not checked beyond that (the ABNF also
  /// accepts them as other-param): check maddr/ttl before use.
  param_list params;
  /// Text after '?', without the '?': hname "=" hvalue pairs joined by '&',
  /// escapes kept. Empty if none.
  std::string_view headers;

  /// Well-known uri-parameters' values as written (empty when absent). The
  /// names are matched case-insensitively but as written (a name spelled
  /// with %-escapes is not found).
  [[nodiscard]] std::string_view transport() const noexcept;
  [[nodiscard]] std::string_view user_param() const noexcept;
  [[nodiscard]] std::string_view method_param() const noexcept;
  [[nodiscard]] std::string_view maddr() const noexcept;
  /// True if an lr parameter is present (with or without a value).
  [[nodiscard]] bool lr() const noexcept;
};

/// telephone-uri = "tel:" telephone-subscriber (RFC 3966 §3)
struct tel_uri {
  std::string_view number;  ///< global-number-digits ("+1-201-555-0123") or local-number-digits
  bool global = false;      ///< starts with '+'
  /// par (isub, ext, phone-context, others), starting at ';'. isub, ext and
  /// phone-context are validated by their own rules and appear at most
  /// once (isub and ext not both); a local number has a phone-context.
  param_list params;

  /// The phone-context value as written (empty when absent).
  [[nodiscard]] std::string_view phone_context() const noexcept {
    const auto p = params.find("phone-context");
    return p ? p->value : std::string_view{};
  }
};

struct uri {
  uri_scheme scheme = uri_scheme::other;
  std::string_view scheme_text;  ///< as written ("sip", "SIP", "soap.beep" ...)
  std::string_view text;         ///< the whole URI as given
  sip_uri sip;                   ///< valid when scheme is sip or sips
  tel_uri tel;                   ///< valid when scheme is tel
  std::string_view opaque;       ///< for other schemes: everything after "scheme:"
};

/// Parses any URI; the scheme is case-insensitive ("SIP:" is sip).
/// - sip/sips: RFC 3261 §25.1 SIP-URI/SIPS-URI, hosts per RFC 5118 (the
///   §4.10 extra-colon IPv6 form tolerated), port 1-5 digits <= 65535.
/// - tel: RFC 3966 §3 telephone-uri.
/// - any other scheme (scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )):
///   scheme ":" then one or more characters %x21-7E, kept in `opaque`.
/// No LWS is accepted anywhere: `text` must be exactly the URI.
/// Errors: bad_uri, with the offset into `text` of the first character that
/// does not fit, or text.size() when the text ends too early (a local tel
/// number without phone-context also reports text.size()). A syntactically
/// valid but semantically bad host ("sip:-x", "[1:2]") or a port out of
/// range reports the first character of the host or port.
/// Never allocates. The views in the result point into `text`.
parse_result<uri> parse_uri(std::string_view text) noexcept;

/// Decodes %HH escapes (RFC 3261 §19.1.2). An escaped NUL stays in the
/// result (RFC 4475 §3.1.1.4): the size is not truncated. Malformed escapes
/// are copied as written. Not recursive: "%2541" gives "%41".
std::string unescape(std::string_view s);

/// URI comparison. Both arguments must come from parse_uri.
/// - sip/sips, RFC 3261 §19.1.4: sip never equals sips; user and password
///   case-sensitive, everything else case-insensitive; %HH equals the
///   character unless it is a reserved one; host names never equal
///   addresses, addresses compare by binary value (RFC 5954 §4.2); port,
///   and the user, ttl, method, maddr and transport parameters, present in
///   only one never match; other parameters compare only when in both;
///   headers must match as a set (names case-insensitive, values
///   case-sensitive after decoding).
/// - tel, RFC 3966 §4: both global or both local, numbers equal without
///   visual separators, the same parameter names on both sides, values
///   case-insensitive (phone-context and ext without visual separators).
/// - other schemes compare byte for byte after the case-insensitive scheme.
/// URIs of different schemes are never equivalent. Equality is not
/// transitive (§19.1.4). Allocates only beyond 16 parameters or headers.
bool equivalent(const uri& a, const uri& b);

}  // namespace sipua
