// Lexing steps shared by the typed header views of auth.hpp, token_list.hpp,
// event.hpp, session_expires.hpp, retry_after.hpp, reason.hpp and
// warning.hpp: strict quoted-string and comment scanning, saturating
// delta-seconds, and a walker over *( SEMI generic-param ) that reports each
// parameter with its offsets. Internal: not part of the API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/error.hpp"
#include "sipua/message/host.hpp"
#include "sipua/message/params.hpp"

namespace sipua::detail {

/// A failure found while lexing, before it becomes a parse_error.
struct lex_error {
  parse_errc code = parse_errc::ok;
  std::size_t offset = 0;
  explicit constexpr operator bool() const noexcept { return code != parse_errc::ok; }
};

/// True when `s` is a non-empty token (RFC 3261 §25.1).
constexpr bool is_token(std::string_view s) noexcept {
  return !s.empty() && scan(s, 0, cc_token) == s.size();
}

/// Validates one quoted-pair at s[i] == '\\'; returns the index of the
/// escaped character, or npos.
/// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)   (RFC 3261 §25.1)
constexpr std::size_t scan_quoted_pair(std::string_view s, std::size_t i) noexcept {
  if (++i >= s.size()) return npos;
  const auto q = static_cast<unsigned char>(s[i]);
  return (q == 0x0A || q == 0x0D || q > 0x7F) ? npos : i;
}

/// True for a byte that may never appear unescaped in qdtext or ctext:
/// control characters other than the HTAB/CR/LF of LWS, and DEL.
constexpr bool is_bad_text_byte(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7F;
}

/// Strict quoted-string: s[i] must be '"'. Returns the index just past the
/// closing quote, or npos when it is unterminated, holds a bad quoted-pair,
/// or holds a control character.
/// qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII  (RFC 3261 §25.1)
constexpr std::size_t scan_quoted_string(std::string_view s, std::size_t i) noexcept {
  for (++i; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      i = scan_quoted_pair(s, i);
      if (i == npos) return npos;
    } else if (is_bad_text_byte(c)) {
      return npos;
    }
  }
  return npos;
}

/// comment = LPAREN *(ctext / quoted-pair / comment) RPAREN, with
/// ctext = %x21-27 / %x2A-5B / %x5D-7E / UTF8-NONASCII / LWS (RFC 3261
/// §25.1). s[i] must be '('. Nesting is counted, not recursed, so any depth
/// costs no stack. Returns the index just past the matching ')', or npos.
constexpr std::size_t scan_comment(std::string_view s, std::size_t i) noexcept {
  std::size_t depth = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return i + 1;
    } else if (c == '\\') {
      i = scan_quoted_pair(s, i);
      if (i == npos) return npos;
    } else if (is_bad_text_byte(c)) {
      return npos;
    }
  }
  return npos;
}

/// delta-seconds = 1*DIGIT (RFC 3261 §25.1) starting at s[i]. RFC 3261 sets
/// no upper bound; a value past 2**32-1 saturates to 2**32-1 (the rule
/// §10.2.1.1 gives for the expires parameter, applied to every
/// delta-seconds). Returns the index after the digits (== i when there are
/// none; `out` is then untouched).
constexpr std::size_t scan_delta_seconds(std::string_view s, std::size_t i,
                                         std::uint32_t& out) noexcept {
  std::uint64_t v = 0;
  const std::size_t b = i;
  for (; i < s.size() && is(s[i], cc_digit); ++i) {
    v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (v > 0xffffffffULL) v = 0xffffffffULL;  // stays saturated
  }
  if (i != b) out = static_cast<std::uint32_t>(v);
  return i;
}

/// Whole-view delta-seconds (for a parameter value).
constexpr bool parse_delta_seconds(std::string_view s, std::uint32_t& out) noexcept {
  std::uint32_t v = 0;
  if (s.empty() || scan_delta_seconds(s, 0, v) != s.size()) return false;
  out = v;
  return true;
}

/// One parameter as the walker saw it. Offsets are into the walked text.
struct raw_param {
  std::string_view name;
  std::string_view value;  ///< as written, quotes included
  bool has_value = false;
  bool quoted = false;
  std::size_t name_pos = 0;
  std::size_t value_pos = 0;

  /// The value without its quotes (quoted-pairs left as written).
  [[nodiscard]] constexpr std::string_view content() const noexcept {
    return quoted ? value.substr(1, value.size() - 2) : value;
  }
};

/// gen-value = token / host / quoted-string (RFC 3261 §25.1) at s[i].
/// Returns the end index, or sets `err`.
inline std::size_t scan_gen_value(std::string_view s, std::size_t i, lex_error& err) noexcept {
  if (i < s.size() && s[i] == '"') {
    const std::size_t e = scan_quoted_string(s, i);
    if (e == npos) err = {parse_errc::bad_quoted_string, i};
    return e;
  }
  std::size_t e = i;
  while (e < s.size() && (is(s[e], cc_token) || s[e] == ':' || s[e] == '[' || s[e] == ']')) ++e;
  const std::string_view v = s.substr(i, e - i);
  // A run with ':' or brackets must be a host (an IPv6 reference).
  if (v.empty() || (!is_token(v) && !classify_host(v))) err = {parse_errc::bad_param, i};
  return e;
}

/// Walks *( SEMI generic-param ) starting at s[i] (SEMI = SWS ";" SWS,
/// EQUAL = SWS "=" SWS). Calls `on_param(const raw_param&) -> lex_error`
/// for each parameter; a non-ok return stops the walk and is returned.
/// Stops before the first non-LWS character that is not ';' and stores in
/// `end` the index after the last parameter (or `i` if there was none).
/// Errors: bad_param (empty name, '=' without a value, a value that is no
/// gen-value), bad_quoted_string.
template <class F>
lex_error walk_params(std::string_view s, std::size_t i, std::size_t& end, F&& on_param) {
  end = i;
  for (;;) {
    std::size_t p = skip_lws(s, end);
    if (p >= s.size() || s[p] != ';') return {};
    raw_param rp;
    rp.name_pos = p = skip_lws(s, p + 1);
    const std::size_t name_end = scan(s, p, cc_token);
    if (name_end == p) return {parse_errc::bad_param, p};
    rp.name = s.substr(p, name_end - p);
    end = name_end;
    p = skip_lws(s, name_end);
    if (p < s.size() && s[p] == '=') {
      rp.value_pos = p = skip_lws(s, p + 1);
      lex_error err;
      const std::size_t ve = scan_gen_value(s, p, err);
      if (err) return err;
      rp.value = s.substr(p, ve - p);
      rp.has_value = true;
      rp.quoted = s[p] == '"';
      end = ve;
    }
    if (lex_error e = on_param(rp)) return e;
  }
}

/// Walks the parameters after a header's main value (which ends at
/// `from`), requires that only LWS follows them, and stores them in `out`
/// (starting at the first ';', or empty). Errors: those of walk_params, and
/// bad_header_value at the first character that is neither LWS nor a
/// parameter.
template <class F>
lex_error finish_params(std::string_view s, std::size_t from, param_list& out, F&& on_param) {
  std::size_t end = from;
  if (lex_error e = walk_params(s, from, end, on_param)) return e;
  const std::size_t t = skip_lws(s, end);
  if (t != s.size()) return {parse_errc::bad_header_value, t};
  const std::size_t b = skip_lws(s, from);
  out = b < end ? param_list{s.substr(b, end - b)} : param_list{};
  return {};
}

/// Marks bit `bit` in `seen`; false if it was already set (a parameter given
/// twice: RFC 3261 §7.3.1 "any given parameter-name MUST NOT appear more
/// than once").
constexpr bool mark_once(std::uint32_t& seen, unsigned bit) noexcept {
  const std::uint32_t m = std::uint32_t{1} << bit;
  if ((seen & m) != 0) return false;
  seen |= m;
  return true;
}

}  // namespace sipua::detail
