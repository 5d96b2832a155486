// Retry-After (RFC 3261 §20.33, §25.1):
// delta-seconds [ comment ] *( SEMI retry-param ),
// retry-param = ("duration" EQUAL delta-seconds) / generic-param.
// Views point into the text given to the parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

struct retry_after {
  /// RFC 3261 sets no upper bound on delta-seconds, so an overlarge value
  /// (RFC 4475 §3.1.2.5 scalarlg: 949302838503028349304023988) is
  /// grammatical: it saturates at 2**32-1 (about 136 years, the bound
  /// §10.2.1.1 uses for expires) rather than being rejected.
  std::uint32_t seconds = 0;
  bool has_comment = false;
  /// The comment's text inside its outer parentheses, as written (nested
  /// comments and quoted-pairs kept); empty when absent.
  std::string_view comment;
  std::optional<std::uint32_t> duration;  ///< saturating like seconds
  param_list params;                      ///< every retry-param as written
};

/// Errors: bad_number (no delta-seconds), bad_header_value (an unbalanced
/// or malformed comment, at its '('; trailing text), bad_param (duration
/// not digits or given twice, at the second name; a malformed
/// generic-param), bad_quoted_string.
parse_result<retry_after> parse_retry_after(std::string_view text) noexcept;

}  // namespace sipua
