// name-addr / addr-spec headers: From, To, Contact, Route, Record-Route,
// Reply-To, Refer-To, P-Asserted-Identity ... (RFC 3261 §20, §25.1).
#pragma once

#include <string_view>

#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// One name-addr or addr-spec with its header parameters. Views point into
/// the text given to parse_name_addr.
struct name_addr {
  /// Display name as written: a quoted-string including its quotes, or the
  /// run of tokens (LWS between them kept); empty when absent.
  std::string_view display_name;
  /// The URI text without the angle brackets. Parse it with parse_uri.
  std::string_view uri;
  /// True for the name-addr form "<...>".
  bool bracketed = false;
  /// Header parameters after the URI (tag, expires, q, lr ...).
  param_list params;

  /// The tag parameter's value, or empty.
  [[nodiscard]] std::string_view tag() const noexcept {
    auto p = params.find("tag");
    return p ? p->value : std::string_view{};
  }
  /// The display name without quotes (escapes left as written).
  [[nodiscard]] std::string_view display_name_unquoted() const noexcept {
    const auto d = display_name;
    if (d.size() >= 2 && d.front() == '"' && d.back() == '"') return d.substr(1, d.size() - 2);
    return d;
  }
};

/// Parses `( name-addr / addr-spec ) *( SEMI generic-param )`. In the
/// addr-spec form the URI ends at the first ';' (its parameters are header
/// parameters, RFC 3261 §20.10), and it may not contain ',' '?' or LWS.
/// Errors: bad_header_value (display name, missing '>'), bad_quoted_string,
/// bad_uri (URI grammar), bad_param, with the offset into `text`.
parse_result<name_addr> parse_name_addr(std::string_view text) noexcept;

}  // namespace sipua
