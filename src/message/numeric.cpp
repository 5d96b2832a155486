// Max-Forwards, Expires/Min-Expires, RSeq, RAck, Content-Type, Call-ID.
#include "sipua/message/numeric.hpp"

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {
namespace {

using detail::cc_digit;
using detail::cc_token;
using detail::cc_word;
using detail::npos;
using detail::scan;
using detail::skip_lws;

// [LWS] 1*DIGIT [LWS] over the whole text: the digits, or bad_number at the
// first character that is not part of them.
parse_result<std::string_view> digits_of(std::string_view s) noexcept {
  const std::size_t b = skip_lws(s, 0);
  const std::size_t e = scan(s, b, cc_digit);
  if (e == b) return parse_failure(parse_errc::bad_number, b);
  const std::size_t rest = skip_lws(s, e);
  if (rest != s.size()) return parse_failure(parse_errc::bad_number, rest);
  return s.substr(b, e - b);
}

}  // namespace

parse_result<std::uint8_t> parse_max_forwards(std::string_view s) noexcept {
  auto d = digits_of(s);
  if (!d) return unexpected{d.error()};
  std::uint64_t v = 0;
  if (!detail::parse_uint(*d, 255, v))
    return parse_failure(parse_errc::bad_number, detail::offset_in(s, *d));
  return static_cast<std::uint8_t>(v);
}

parse_result<std::uint32_t> parse_delta_seconds(std::string_view s) noexcept {
  auto d = digits_of(s);
  if (!d) return unexpected{d.error()};
  std::uint32_t v = 0;
  detail::parse_u32_saturating(*d, v);  // cannot fail: *d is 1*DIGIT
  return v;
}

parse_result<std::uint32_t> parse_rseq(std::string_view s) noexcept {
  auto d = digits_of(s);
  if (!d) return unexpected{d.error()};
  std::uint32_t v = 0;
  if (!detail::parse_u32(*d, v) || v == 0)
    return parse_failure(parse_errc::bad_number, detail::offset_in(s, *d));
  return v;
}

parse_result<rack> parse_rack(std::string_view s) noexcept {
  rack r;
  const std::size_t b = skip_lws(s, 0);
  const std::size_t e = scan(s, b, cc_digit);
  if (e == b || !detail::parse_u32(s.substr(b, e - b), r.response_num) || r.response_num == 0)
    return parse_failure(parse_errc::bad_number, b);
  const std::size_t c = skip_lws(s, e);
  if (c == e) return parse_failure(parse_errc::bad_header_value, e);
  parse_error err;
  const std::size_t me = detail::number_and_method(s, c, r.cseq_num, r.method_name, err);
  if (me == npos) return unexpected{err};
  const std::size_t rest = skip_lws(s, me);
  if (rest != s.size()) return parse_failure(parse_errc::bad_header_value, rest);
  r.method = to_method(r.method_name);
  return r;
}

bool media_type::is(std::string_view t, std::string_view s) const noexcept {
  return detail::iequals(type, t) && detail::iequals(subtype, s);
}

parse_result<media_type> parse_media_type(std::string_view s) noexcept {
  media_type m;
  const std::size_t tb = skip_lws(s, 0);
  const std::size_t te = scan(s, tb, cc_token);
  if (te == tb) return parse_failure(parse_errc::bad_header_value, tb);
  const std::size_t slash = skip_lws(s, te);
  if (slash >= s.size() || s[slash] != '/')
    return parse_failure(parse_errc::bad_header_value, slash);
  const std::size_t sb = skip_lws(s, slash + 1);
  const std::size_t se = scan(s, sb, cc_token);
  if (se == sb) return parse_failure(parse_errc::bad_header_value, sb);
  m.type = s.substr(tb, te - tb);
  m.subtype = s.substr(sb, se - sb);

  const std::size_t end = detail::scan_generic_params(s, se);
  if (end == npos) return parse_failure(parse_errc::bad_param, detail::generic_params_error(s, se));
  const std::size_t rest = skip_lws(s, end);
  if (rest != s.size()) return parse_failure(parse_errc::bad_header_value, rest);
  m.params = detail::params_between(s, se, end);
  // m-parameter = m-attribute EQUAL m-value, m-value = token / quoted-string:
  // stricter than generic-param (a value is required, no host form).
  for (const param& p : m.params) {
    if (!p.has_value) return parse_failure(parse_errc::bad_param, detail::offset_in(s, p.name));
    if (p.value.front() != '"' && !detail::is_token(p.value))
      return parse_failure(parse_errc::bad_param, detail::offset_in(s, p.value));
  }
  return m;
}

parse_result<std::string_view> parse_call_id(std::string_view s) noexcept {
  const std::size_t b = skip_lws(s, 0);
  std::size_t e = scan(s, b, cc_word);
  if (e == b) return parse_failure(parse_errc::bad_header_value, b);
  if (e < s.size() && s[e] == '@') {
    const std::size_t w = scan(s, e + 1, cc_word);
    if (w == e + 1) return parse_failure(parse_errc::bad_header_value, e + 1);
    e = w;
  }
  const std::size_t rest = skip_lws(s, e);
  if (rest != s.size()) return parse_failure(parse_errc::bad_header_value, rest);
  return s.substr(b, e - b);
}

}  // namespace sipua
