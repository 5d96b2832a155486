// Small lexing steps shared by the typed header parsers (via, name_addr,
// cseq, contact, numeric). Internal to src/message: not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua::detail {

/// Index into `s` of the first character that breaks the generic-param list
/// starting at `i`, for the error path after scan_generic_params returned
/// npos: the missing name after a ';' (";;"), the missing or bad value after
/// '=', or the opening quote of an unterminated quoted-string.
std::size_t generic_params_error(std::string_view s, std::size_t i) noexcept;

/// The validated parameter run of `s` from `i` (just after the element the
/// parameters follow) to `end` (what scan_generic_params returned), starting
/// at its first ';'; empty when there is none.
inline param_list params_between(std::string_view s, std::size_t i, std::size_t end) noexcept {
  const std::size_t semi = skip_lws(s, i);
  if (semi >= end) return {};
  return param_list{s.substr(semi, end - semi)};
}

/// 1*DIGIT (the whole of `digits`) as a 32-bit value; false on an empty or
/// non-digit view or a value over 2**32-1. Leading zeros are fine.
inline bool parse_u32(std::string_view digits, std::uint32_t& out) noexcept {
  std::uint64_t v = 0;
  if (!parse_uint(digits, 0xffffffffULL, v)) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

/// 1*DIGIT (the whole of `digits`), saturating at 2**32-1; false on an empty
/// or non-digit view. Any number of digits is accepted (RFC 3261 §10.2.1.1).
inline bool parse_u32_saturating(std::string_view digits, std::uint32_t& out) noexcept {
  if (digits.empty()) return false;
  constexpr std::uint64_t max = 0xffffffffULL;
  std::uint64_t v = 0;
  for (char c : digits) {
    if (!is(c, cc_digit)) return false;
    if (v <= max) v = v * 10 + static_cast<std::uint64_t>(c - '0');  // cannot overflow 64 bits
  }
  out = static_cast<std::uint32_t>(v > max ? max : v);
  return true;
}

/// Parses `1*DIGIT LWS Method` from s[i] (CSeq, the tail of RAck): the
/// number into `number` (bad_number if not digits or over 2**32-1), the
/// method token into `method_name` (bad_header_value if the LWS or the token
/// is missing). Returns the index after the method, or npos with `err` set
/// (offset into `s`).
std::size_t number_and_method(std::string_view s, std::size_t i, std::uint32_t& number,
                              std::string_view& method_name, parse_error& err) noexcept;

/// Offset of `part` (a view into `whole`) from the start of `whole`.
inline std::size_t offset_in(std::string_view whole, std::string_view part) noexcept {
  return static_cast<std::size_t>(part.data() - whole.data());
}

/// True when every character of `s` is a token character and `s` is not empty.
constexpr bool is_token(std::string_view s) noexcept {
  return !s.empty() && scan(s, 0, cc_token) == s.size();
}

}  // namespace sipua::detail
