// Contact (RFC 3261 §20.10, §25.1):
//   Contact = ("Contact" / "m") HCOLON ( STAR / (contact-param *(COMMA contact-param)))
//   contact-param = (name-addr / addr-spec) *(SEMI contact-params)
//   contact-params = c-p-q / c-p-expires / contact-extension
//   c-p-q = "q" EQUAL qvalue, c-p-expires = "expires" EQUAL delta-seconds
#include "sipua/message/contact.hpp"

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {
namespace {

using detail::cc_digit;
using detail::is;

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
// thousandths.
bool parse_qvalue(std::string_view v, std::uint16_t& out) noexcept {
  if (v.empty() || (v[0] != '0' && v[0] != '1') || v.size() > 5) return false;
  unsigned whole = static_cast<unsigned>(v[0] - '0');
  unsigned frac = 0;
  if (v.size() > 1) {
    if (v[1] != '.') return false;
    for (std::size_t j = 2; j < 5; ++j) {
      unsigned d = 0;
      if (j < v.size()) {
        if (!is(v[j], cc_digit)) return false;
        d = static_cast<unsigned>(v[j] - '0');
      }
      frac = frac * 10 + d;
    }
  }
  if (whole == 1 && frac != 0) return false;
  out = static_cast<std::uint16_t>(whole * 1000 + frac);
  return true;
}

}  // namespace

parse_result<contact> parse_contact(std::string_view s) noexcept {
  contact c;
  // STAR = SWS "*" SWS. A '*' followed by more text is a token display name
  // ("* <sip:a@b>"), which parse_name_addr takes.
  const std::size_t b = detail::skip_lws(s, 0);
  if (b < s.size() && s[b] == '*' && detail::skip_lws(s, b + 1) == s.size()) {
    c.star = true;
    return c;
  }
  auto na = parse_name_addr(s);
  if (!na) return unexpected{na.error()};
  c.addr = *na;
  // Every q and expires is checked; the first of each fills the field.
  for (const param& p : c.addr.params) {
    const bool q = detail::iequals(p.name, "q");
    if (!q && !detail::iequals(p.name, "expires")) continue;
    const std::size_t at = detail::offset_in(s, p.has_value ? p.value : p.name);
    if (q) {
      std::uint16_t v = 0;
      if (!p.has_value || !parse_qvalue(p.value, v))
        return parse_failure(parse_errc::bad_param, at);
      if (!c.q) c.q = v;
    } else {
      // delta-seconds; over 2**32-1 saturates (§10.2.1.1, RFC 4475 scalar02)
      std::uint32_t v = 0;
      if (!p.has_value || !detail::parse_u32_saturating(p.value, v))
        return parse_failure(parse_errc::bad_param, at);
      if (!c.expires) c.expires = v;
    }
  }
  return c;
}

}  // namespace sipua
