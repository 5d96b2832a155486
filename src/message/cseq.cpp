// CSeq (RFC 3261 §20.16, §25.1): CSeq = "CSeq" HCOLON 1*DIGIT LWS Method
#include "sipua/message/cseq.hpp"

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {

namespace detail {

// 1*DIGIT LWS Method, shared by CSeq and RAck (RFC 3262 §7.2).
std::size_t number_and_method(std::string_view s, std::size_t i, std::uint32_t& number,
                              std::string_view& method_name, parse_error& err) noexcept {
  // One pass over the digits; over 2**32-1 is an error, not a wrap
  // (RFC 4475 scalar02, scalarlg). Eleven digits overflow for sure.
  const std::size_t n = s.size();
  const char* d = s.data();
  std::size_t de = i;
  std::uint64_t v = 0;
  std::size_t k = 8;
  // Up to seven digits (what CSeq numbers are) in one SWAR step when eight
  // bytes can be read; longer runs, and the end of the input, byte by byte.
  if (n - i >= 8) k = digits8(d + i, v);
  if (k < 8) {
    de = i + k;
    if (k == 0) {
      err = make_parse_error(parse_errc::bad_number, i);
      return npos;
    }
  } else {
    while (de < n && d[de] == '0') ++de;  // leading zeros (RFC 4475 wsinv)
    const std::size_t significant = de;
    // Unsigned arithmetic wraps without harm on absurd lengths: more than
    // ten significant digits is an error whatever v holds.
    while (de < n && static_cast<unsigned char>(d[de] - '0') < 10)
      v = v * 10 + static_cast<std::uint64_t>(d[de++] - '0');
    if (de == i || de - significant > 10 || v > 0xffffffffULL) {
      err = make_parse_error(parse_errc::bad_number, i);
      return npos;
    }
  }
  number = static_cast<std::uint32_t>(v);
  // LWS is required between the number and the method.
  std::size_t mb = de + 1;
  if (de >= n || !is(s[de], cc_lws))
    mb = de;
  else if (mb < n && is(s[mb], cc_lws))
    mb = skip_lws(s, mb);
  if (mb == de || mb == n) {
    err = make_parse_error(parse_errc::bad_header_value, mb);
    return npos;
  }
  // Method = INVITEm / ... / extension-method, extension-method = token
  const std::size_t me = scan(s, mb, cc_token);
  if (me == mb) {
    err = make_parse_error(parse_errc::bad_header_value, mb);
    return npos;
  }
  method_name = slice(s, mb, me);
  return me;
}

}  // namespace detail

namespace detail {

parse_error parse_cseq_into(std::string_view s, cseq& c) noexcept {
  parse_error err;
  const std::size_t e = number_and_method(s, skip_lws(s, 0), c.number, c.method_name, err);
  if (e == npos) return err;
  const std::size_t rest = skip_lws(s, e);
  if (rest != s.size()) return make_parse_error(parse_errc::bad_header_value, rest);
  c.method = to_method(c.method_name);
  return {};
}

}  // namespace detail

parse_result<cseq> parse_cseq(std::string_view s) noexcept {
  parse_result<cseq> r{cseq{}};
  if (parse_error e = detail::parse_cseq_into(s, *r)) r = unexpected{e};
  return r;
}

}  // namespace sipua
