// Warning (RFC 3261 §20.43, §25.1): warning-value *(COMMA warning-value),
// warning-value = warn-code SP warn-agent SP warn-text,
// warn-code = 3DIGIT, warn-agent = hostport / pseudonym,
// warn-text = quoted-string.
// Views point into the text given to the parser.
#pragma once

#include <cstdint>
#include <string_view>

#include "sipua/message/element_list.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

struct warning {
  std::uint16_t code = 0;  ///< exactly three digits, 000..999
  std::string_view agent;  ///< hostport or pseudonym, as written
  std::string_view text;   ///< warn-text content without quotes (quoted-pairs as written)
};

/// Parses one warning-value. The separators are exactly one SP each, as the
/// grammar says (not LWS). Errors: bad_number (warn-code not three digits,
/// at the first offending character: "1812" fails at offset 3, RFC 4475
/// §3.1.2.5), bad_header_value (a missing SP, a warn-agent that is neither
/// a token nor a valid hostport, at its start; warn-text not starting with
/// '"'; trailing text), bad_quoted_string (warn-text).
parse_result<warning> parse_warning(std::string_view text) noexcept;

using warning_list = element_list<warning, parse_warning>;

/// The whole Warning value: one or more warning-values. Errors as
/// element_list::parse, offsets relative to `text`.
parse_result<warning_list> parse_warnings(std::string_view text) noexcept;

}  // namespace sipua
