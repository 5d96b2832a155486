// Reason (RFC 3326 §2): reason-value *(COMMA reason-value),
// reason-value = protocol *(SEMI reason-params),
// reason-params = protocol-cause / reason-text / reason-extension.
// Views point into the text given to the parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sipua/message/element_list.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

struct reason {
  std::string_view protocol;           ///< "SIP", "Q.850" or another token, as written
  std::optional<std::uint32_t> cause;  ///< cause = 1*DIGIT
  /// reason-text: content of the quoted-string (quoted-pairs as written).
  std::optional<std::string_view> text;
  param_list params;  ///< every parameter as written

  /// protocol is "SIP" / "Q.850" (case-insensitive: tokens, RFC 3261 §7.3.1).
  [[nodiscard]] bool is_sip() const noexcept;
  [[nodiscard]] bool is_q850() const noexcept;
};

/// Parses one reason-value (one element of the list). Errors:
/// bad_header_value (no protocol token, trailing text), bad_param (cause
/// not digits or over 2**32-1, text not a quoted-string, either given twice
/// at the second name; a malformed generic-param), bad_quoted_string.
parse_result<reason> parse_reason(std::string_view text) noexcept;

using reason_list = element_list<reason, parse_reason>;

/// The whole Reason value: one or more reason-values. Errors as
/// element_list::parse, offsets relative to `text`.
parse_result<reason_list> parse_reasons(std::string_view text) noexcept;

}  // namespace sipua
