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

  /// The first tag parameter's value, or empty (filled by parse_name_addr
  /// while it reads the parameters, so tag() costs nothing).
  std::string_view tag_value;

  /// The tag parameter's value, or empty.
  [[nodiscard]] std::string_view tag() const noexcept { return tag_value; }
  /// The display name without quotes (escapes left as written).
  [[nodiscard]] std::string_view display_name_unquoted() const noexcept {
    const auto d = display_name;
    if (d.size() >= 2 && d.front() == '"' && d.back() == '"') return d.substr(1, d.size() - 2);
    return d;
  }
};

/// Parses `( name-addr / addr-spec ) *( SEMI generic-param )` (one element
/// of a From, To, Contact, Route ... value; LWS around it is skipped).
///
/// - name-addr: an optional display name, either a quoted-string (qdtext
///   and quoted-pairs checked) or a run of tokens (LWS before '<' is not
///   required: RFC 4475 lwsdisp "caller<sip:...>"), then "<" URI ">".
/// - addr-spec: the URI runs to the first ';' or LWS; its parameters are
///   header parameters (RFC 3261 §20.10), and it may not contain ',', '?'
///   or ';' (§20: such URIs must be bracketed).
/// The URI is only checked for its shape: scheme ":" then one or more
/// visible US-ASCII characters other than '<' '>' '"', no LWS. Parse it with
/// parse_uri for the rest.
///
/// Errors, with the offset into `text` of the first character that does not
/// fit:
/// - bad_quoted_string: the display name's quote is not closed (offset of
///   the opening quote; RFC 4475 quotbal), or it holds a control character
///   or a bad quoted-pair;
/// - bad_header_value: empty text; a token display name followed by
///   something other than LWS/token/'<' (RFC 4475 baddn "Bell, Alexander"),
///   a quoted display name not followed by '<'; '<' without '>' (offset of
///   the '<'); text left over after the parameters;
/// - bad_uri: the URI's shape (RFC 4475 badaspec "< sip:...>", regbadct
///   "sip:...?Route=..." unbracketed, LWS inside an addr-spec);
/// - bad_param: a parameter is not a generic-param (";;" fails at the
///   second ';').
/// Every view points into `text`; no allocation.
parse_result<name_addr> parse_name_addr(std::string_view text) noexcept;

}  // namespace sipua
