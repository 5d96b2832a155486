// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20,
// §20.39, §25.1).
//
//   ( name-addr / addr-spec ) *( SEMI generic-param )
//   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
//   display-name = *(token LWS) / quoted-string
//   LAQUOT = SWS "<", RAQUOT = ">" SWS
//
// The URI itself is only checked for its shape here (scheme ":" then
// visible characters, no LWS); parse_uri does the rest on demand.
#include "sipua/message/name_addr.hpp"

#include <cstring>

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {
namespace {

using detail::cc_alpha;
using detail::cc_lws;
using detail::cc_scheme;
using detail::cc_token;
using detail::is;
using detail::is_token;
using detail::npos;
using detail::scan;
using detail::skip_lws;

// s[i] is '"'. Returns the index past the closing quote, or npos with `err`
// at the offending character (the opening quote if it is never closed).
// quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
// qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
std::size_t quoted_end(std::string_view s, std::size_t i, std::size_t& err) noexcept {
  return detail::skip_quoted(s, i, &err);
}

// Scans 1*(token [LWS]) from i. Returns the index where the run stops
// (a '<' for a token display name) and sets `name_end` past the last token
// and `tokens` to how many were seen.
std::size_t token_run(std::string_view s, std::size_t i, std::size_t& name_end,
                      int& tokens) noexcept {
  tokens = 0;
  name_end = i;
  for (;;) {
    const std::size_t e = scan(s, i, cc_token);
    if (e == i) return i;
    ++tokens;
    name_end = e;
    i = skip_lws(s, e);
    // RFC 4475 lwsdisp: "caller<sip:...>" has no LWS before '<'; the
    // ABNF says *(token LWS) but elements should accept it.
    if (i == e) return i;
  }
}

// From s[i] == '<': the bracketed URI. Returns the index past '>'.
parse_result<std::size_t> bracketed(std::string_view s, std::size_t i, name_addr& out) noexcept {
  const std::size_t gt = s.find('>', i + 1);
  if (gt == npos) return parse_failure(parse_errc::bad_header_value, i);
  out.uri = detail::slice(s, i + 1, gt);
  out.bracketed = true;
  // RFC 4475 badaspec: "< sip:t.watson@example.org >" has LWS inside.
  const std::size_t bad = detail::uri_shape_error(out.uri, false);
  if (bad != npos) return parse_failure(parse_errc::bad_uri, i + 1 + bad);
  return gt + 1;
}

// From s[i], the start of an addr-spec. The URI ends at ';' or LWS (RFC 3261
// §20.10: its parameters are header parameters).
parse_result<std::size_t> addr_spec(std::string_view s, std::size_t i, name_addr& out) noexcept {
  std::size_t e = i;
  while (e < s.size() && s[e] != ';' && !is(s[e], cc_lws)) ++e;
  out.uri = detail::slice(s, i, e);
  // RFC 4475 regbadct: "sip:user@example.com?Route=..." without '<' '>'.
  const std::size_t bad = detail::uri_shape_error(out.uri, true);
  if (bad != npos) return parse_failure(parse_errc::bad_uri, i + bad);
  // Only a parameter list may follow; anything else means LWS in the URI.
  const std::size_t next = skip_lws(s, e);
  if (next < s.size() && s[next] != ';') return parse_failure(parse_errc::bad_uri, e);
  return e;
}

// Display name (if any) and URI. Returns the index after them.
parse_result<std::size_t> name_and_uri(std::string_view s, std::size_t i, name_addr& out) noexcept {
  if (i < s.size() && s[i] == '"') {
    std::size_t err = 0;
    const std::size_t q = quoted_end(s, i, err);
    if (q == npos) return parse_failure(parse_errc::bad_quoted_string, err);
    out.display_name = detail::slice(s, i, q);
    const std::size_t lt = skip_lws(s, q);
    if (lt >= s.size() || s[lt] != '<') return parse_failure(parse_errc::bad_header_value, lt);
    return bracketed(s, lt, out);
  }
  if (i < s.size() && s[i] == '<') return bracketed(s, i, out);

  std::size_t name_end = 0;
  int tokens = 0;
  const std::size_t stop = token_run(s, i, name_end, tokens);
  if (stop < s.size() && s[stop] == '<' && tokens > 0) {
    out.display_name = detail::slice(s, i, name_end);
    return bracketed(s, stop, out);
  }
  // A scheme is a token followed directly by ':'. Without any '<' there is
  // no name-addr to speak of, so the URI check reports what is wrong.
  const bool scheme_colon = tokens == 1 && stop == name_end && stop < s.size() && s[stop] == ':';
  if (scheme_colon || s.find('<', i) == npos) return addr_spec(s, i, out);
  // RFC 4475 baddn: "Bell, Alexander <sip:...>": ',' is not a token char.
  return parse_failure(parse_errc::bad_header_value, stop);
}

}  // namespace

namespace detail {

// The URI's shape: scheme ":" 1*(visible US-ASCII), no LWS, no '<' '>' '"'.
// In the addr-spec form ',' '?' and ';' may not appear either (RFC 3261
// §20: such a URI must be enclosed in '<' '>'). Returns npos if the shape is
// right, else the offset into `uri` of the first character that is wrong.
std::size_t uri_shape_error(std::string_view uri, bool addr_spec) noexcept {
  if (uri.empty() || !is(uri[0], cc_alpha)) return 0;
  // "sip:" is by far the most common scheme; skip the scheme scan for it.
  const std::size_t colon =
      uri.size() > 4 && std::memcmp(uri.data(), "sip:", 4) == 0 ? 3 : scan(uri, 1, cc_scheme);
  if (colon == uri.size() || uri[colon] != ':') return colon;
  if (colon + 1 == uri.size()) return colon + 1;
  // Word-at-a-time check first.
  if (!addr_spec &&
      detail::all_visible_except(detail::slice(uri, colon + 1, uri.size()), '<', '>', '"'))
    return npos;
  for (std::size_t j = colon + 1; j < uri.size(); ++j) {
    const auto c = static_cast<unsigned char>(uri[j]);
    if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"') return j;
    if (addr_spec && (c == ',' || c == '?' || c == ';')) return j;
  }
  return npos;
}

parse_error parse_name_addr_into(std::string_view s, bool tag_is_token, name_addr& out) noexcept {
  const std::size_t b = skip_lws(s, 0);
  if (b == s.size()) return make_parse_error(parse_errc::bad_header_value, b);
  auto r = name_and_uri(s, b, out);
  if (!r) return r.error();
  const std::size_t i = *r;
  std::size_t err = 0;
  const std::size_t end =
      for_each_generic_param(s, i, err, [&out, tag_is_token](const param& p, bool value_is_token) {
        if (!detail::token_equals(p.name, "tag")) return true;
        // tag-param = "tag" EQUAL token (From and To, RFC 3261 §25.1)
        if (tag_is_token && (!p.has_value || !value_is_token)) return false;
        if (out.tag_value.empty()) out.tag_value = p.value;
        return true;
      });
  if (end == npos) return make_parse_error(parse_errc::bad_param, err);
  const std::size_t rest = skip_lws(s, end);
  if (rest != s.size()) return make_parse_error(parse_errc::bad_header_value, rest);
  out.params = params_between(s, i, end);
  return {};
}

}  // namespace detail

parse_result<name_addr> parse_name_addr(std::string_view s) noexcept {
  parse_result<name_addr> r{name_addr{}};
  if (parse_error e = detail::parse_name_addr_into(s, false, *r)) r = unexpected{e};
  return r;
}

}  // namespace sipua
