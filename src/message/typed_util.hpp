// Small lexing steps shared by the typed header parsers (via, name_addr,
// cseq, contact, numeric). Internal to src/message: not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipua/message/cseq.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/name_addr.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"
#include "sipua/message/via.hpp"

namespace sipua::detail {

/// Index into `s` of the first character that breaks the generic-param list
/// starting at `i`, for the error path after scan_generic_params returned
/// npos: the missing name after a ';' (";;"), the missing or bad value after
/// '=', or the opening quote of an unterminated quoted-string.
std::size_t generic_params_error(std::string_view s, std::size_t i) noexcept;

/// Validates *( SEMI generic-param ) from s[i] (RFC 3261 §25.1:
/// generic-param = token [ EQUAL gen-value ], gen-value = token / host /
/// quoted-string, SEMI and EQUAL allowing LWS) in one pass, calling
/// `on_param(const param&, bool value_is_token)` for each parameter as it
/// is read (value_is_token: the value is a non-empty token); on_param
/// returns false to reject the parameter's value. Returns the index where the
/// list stops (a ',' or the end, for instance), or npos with `err` set to the
/// offending character (the missing name, the bad or missing value, or the
/// opening quote of an unterminated quoted-string).
template <class F>
std::size_t for_each_generic_param(std::string_view s, std::size_t i, std::size_t& err,
                                   F&& on_param) noexcept {
  const std::size_t n = s.size();
  for (;;) {
    std::size_t semi = i;
    if (semi < n && is(s[semi], cc_lws)) semi = skip_lws(s, semi);
    if (semi >= n || s[semi] != ';') return i;
    std::size_t p = semi + 1;
    if (p < n && is(s[p], cc_lws)) p = skip_lws(s, p);
    const std::size_t name_end = scan(s, p, cc_token);
    if (name_end == p) return (err = p, npos);
    param prm{slice(s, p, name_end), {}, false};
    bool value_is_token = true;  // meaningful when prm.has_value
    std::size_t q = name_end;
    if (q < n && is(s[q], cc_lws)) q = skip_lws(s, q);
    if (q < n && s[q] == '=') {
      ++q;
      if (q < n && is(s[q], cc_lws)) q = skip_lws(s, q);
      std::size_t ve;
      if (q < n && s[q] == '"') {
        value_is_token = false;
        ve = skip_quoted(s, q);
        if (ve == npos) return (err = q, npos);
      } else {
        ve = scan(s, q, cc_token);
        if (ve < n && is(s[ve], cc_gen_value)) {
          value_is_token = false;  // a host with ':' '[' ']'
          ve = scan(s, ve, cc_gen_value);
        }
        if (ve == q) return (err = q, npos);
      }
      prm.value = slice(s, q, ve);
      prm.has_value = true;
      i = ve;
    } else {
      i = name_end;
    }
    if (!on_param(prm, value_is_token)) return (err = prm.has_value ? q : p, npos);
  }
}

/// The validated parameter run of `s` from `i` (just after the element the
/// parameters follow) to `end` (what scan_generic_params returned), starting
/// at its first ';'; empty when there is none.
inline param_list params_between(std::string_view s, std::size_t i, std::size_t end) noexcept {
  const std::size_t semi = skip_lws(s, i);
  if (semi >= end) return {};
  return param_list{slice(s, semi, end)};
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

/// Parses one via-parm from s[i] (no leading LWS) and returns the index
/// after it (its parameters included), or npos with `err` set. What follows
/// (a ',' or the end) is the caller's to check.
std::size_t parse_via_at(std::string_view s, std::size_t i, via& v, parse_error& err) noexcept;

/// parse_name_addr into `out`; with tag_is_token, a tag parameter must carry
/// a token value (From and To, RFC 3261 §25.1 tag-param).
parse_error parse_name_addr_into(std::string_view s, bool tag_is_token, name_addr& out) noexcept;

/// The shape every URI in a header has: scheme ":" 1*(visible US-ASCII)
/// without '<' '>' '"'; with addr_spec (a URI outside '<' '>', RFC 3261
/// §20) not ',' '?' ';' either. npos if right, else the offset of the first
/// character that is wrong. parse_uri checks the finer grammar.
std::size_t uri_shape_error(std::string_view uri, bool addr_spec) noexcept;

/// parse_cseq into `out`.
parse_error parse_cseq_into(std::string_view s, cseq& out) noexcept;

/// Offset of `part` (a view into `whole`) from the start of `whole`.
inline std::size_t offset_in(std::string_view whole, std::string_view part) noexcept {
  return static_cast<std::size_t>(part.data() - whole.data());
}

/// True when every character of `s` is a token character and `s` is not empty.
constexpr bool is_token(std::string_view s) noexcept {
  return !s.empty() && scan(s, 0, cc_token) == s.size();
}

}  // namespace sipua::detail
