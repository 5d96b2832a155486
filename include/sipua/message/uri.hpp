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
struct sip_uri {
  bool secure = false;           ///< sips:
  bool has_user = false;         ///< userinfo ("user[:password]@") present
  bool has_password = false;
  std::string_view user;         ///< as written, %-escapes kept (see unescape)
  std::string_view password;     ///< as written
  std::string_view host;         ///< as written; IPv6 reference keeps its brackets
  host_type host_kind = host_type::name;
  std::optional<std::uint16_t> port;
  param_list params;             ///< uri-parameters, starting at the first ';'
  std::string_view headers;      ///< text after '?', without the '?'; empty if none

  /// Well-known uri-parameters (empty when absent).
  [[nodiscard]] std::string_view transport() const noexcept;
  [[nodiscard]] std::string_view user_param() const noexcept;
  [[nodiscard]] std::string_view method_param() const noexcept;
  [[nodiscard]] std::string_view maddr() const noexcept;
  [[nodiscard]] bool lr() const noexcept;
};

/// telephone-uri = "tel:" telephone-subscriber (RFC 3966 §3)
struct tel_uri {
  std::string_view number;  ///< global-number-digits ("+1-201-555-0123") or local-number-digits
  bool global = false;      ///< starts with '+'
  param_list params;        ///< par (isub, ext, phone-context, others), starting at ';'
};

struct uri {
  uri_scheme scheme = uri_scheme::other;
  std::string_view scheme_text;  ///< as written ("sip", "SIP", "soap.beep" ...)
  std::string_view text;         ///< the whole URI as given
  sip_uri sip;                   ///< valid when scheme is sip or sips
  tel_uri tel;                   ///< valid when scheme is tel
  std::string_view opaque;       ///< for other schemes: everything after "scheme:"
};

/// Parses any URI. The scheme is case-insensitive. Errors: bad_uri, with the
/// offset into `text` of the first character that does not fit.
parse_result<uri> parse_uri(std::string_view text) noexcept;

/// Decodes %HH escapes (RFC 3261 §19.1.2). An escaped NUL stays in the
/// result (RFC 4475 §3.1.1.4): the size is not truncated. Malformed escapes
/// are copied as written.
std::string unescape(std::string_view s);

/// URI comparison of RFC 3261 §19.1.4 (sip/sips), RFC 3966 §4 (tel);
/// other schemes compare byte for byte after the case-insensitive scheme.
bool equivalent(const uri& a, const uri& b);

}  // namespace sipua
