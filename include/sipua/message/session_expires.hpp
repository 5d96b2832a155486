// Session timer headers (RFC 4028 §4, §5): Session-Expires / x and Min-SE.
// Views point into the text given to the parser.
#pragma once

#include <cstdint>
#include <string_view>

#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// refresher-param = "refresher" EQUAL ("uas" / "uac"), any case.
enum class refresher : std::uint8_t { unspecified, uac, uas };

/// Session-Expires = delta-seconds *(SEMI se-params)
struct session_expires {
  /// The session interval. Values past 2**32-1 saturate. The 90 s floor
  /// (RFC 4028 §4) is policy, left to the session layer.
  std::uint32_t seconds = 0;
  sipua::refresher refresher = sipua::refresher::unspecified;
  param_list params;  ///< every se-param as written, refresher included
};

/// Errors: bad_number (no delta-seconds), bad_header_value (text after the
/// parameters), bad_param (refresher without value, not uac/uas, or given
/// twice at the second name; a malformed generic-param), bad_quoted_string.
parse_result<session_expires> parse_session_expires(std::string_view text) noexcept;

/// Min-SE = delta-seconds *(SEMI generic-param)
struct min_se {
  std::uint32_t seconds = 0;  ///< saturating at 2**32-1
  param_list params;
};

/// Errors: bad_number (no delta-seconds), bad_header_value (trailing
/// text), bad_param, bad_quoted_string.
parse_result<min_se> parse_min_se(std::string_view text) noexcept;

}  // namespace sipua
