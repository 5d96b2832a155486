// Simple single-value headers: Max-Forwards (RFC 3261 §20.22), Expires and
// Min-Expires (§20.19, §20.23), RSeq and RAck (RFC 3262 §7), Content-Type
// (§20.15) and Call-ID (§20.8).
//
// Every parser takes the header value (LWS around it is skipped, folded LWS
// included), returns views into that text, never allocates, and reports
// errors with the offset into the text of the first character that does not
// fit.
#pragma once

#include <cstdint>
#include <string_view>

#include "sipua/message/method.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// Max-Forwards = "Max-Forwards" HCOLON 1*DIGIT; §20.22 gives the range
/// 0-255. Leading zeros are fine ("0068", RFC 4475 wsinv).
/// Strict: a value over 255 (RFC 4475 scalar02 has 300) is bad_number, at
/// the first digit; a caller may then treat the field as absent, as RFC 4475
/// §3.1.2.4 allows. Errors: bad_number (no digits, over 255, or anything but
/// digits in the value).
parse_result<std::uint8_t> parse_max_forwards(std::string_view text) noexcept;

/// delta-seconds = 1*DIGIT, for Expires, Min-Expires and the Contact expires
/// parameter. A value over 2**32-1 saturates to 2**32-1 (RFC 3261
/// §10.2.1.1 allows treating it so; RFC 4475 scalar02). Errors: bad_number
/// (no digits, or anything but digits in the value).
parse_result<std::uint32_t> parse_delta_seconds(std::string_view text) noexcept;

/// RSeq = "RSeq" HCOLON response-num, response-num = 1*DIGIT, in 1..2**32-1
/// (RFC 3262 §7.1; the first RSeq of a transaction is at most 2**31-1,
/// §3, but later ones count up from there). Errors: bad_number (no digits,
/// 0, over 2**32-1, or anything but digits).
parse_result<std::uint32_t> parse_rseq(std::string_view text) noexcept;

/// RAck = "RAck" HCOLON response-num LWS CSeq-num LWS Method (RFC 3262 §7.2).
struct rack {
  std::uint32_t response_num = 0;  ///< the RSeq being acknowledged (1..2**32-1)
  std::uint32_t cseq_num = 0;      ///< CSeq number of the response (any 32-bit value)
  std::string_view method_name;    ///< as written (case-sensitive)
  sipua::method method = sipua::method::extension;
};

/// Errors: bad_number (a number is not digits, response-num is 0, or either
/// is over 2**32-1), bad_header_value (missing LWS, method not a token,
/// trailing text).
parse_result<rack> parse_rack(std::string_view text) noexcept;

/// media-type = m-type SLASH m-subtype *(SEMI m-parameter)   (§20.15, §25.1)
struct media_type {
  std::string_view type;     ///< "application", as written (compare case-insensitively)
  std::string_view subtype;  ///< "sdp", as written
  param_list params;         ///< m-parameters, each with a value (token or quoted-string)

  /// Case-insensitive type/subtype match (RFC 2045 §5.1).
  [[nodiscard]] bool is(std::string_view t, std::string_view s) const noexcept;
};

/// Parses a Content-Type value. m-type and m-subtype are tokens (SLASH =
/// SWS "/" SWS); m-parameter = m-attribute EQUAL m-value, m-value = token /
/// quoted-string. Errors: bad_header_value (type, '/', subtype, trailing
/// text), bad_param (a parameter without a value, or a value that is
/// neither a token nor a quoted-string).
parse_result<media_type> parse_media_type(std::string_view text) noexcept;

/// callid = word [ "@" word ]   (§25.1). Returns the Call-ID without the
/// surrounding LWS. Errors: bad_header_value (empty word, a character
/// outside word, a second '@', trailing text).
parse_result<std::string_view> parse_call_id(std::string_view text) noexcept;

}  // namespace sipua
