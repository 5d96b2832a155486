#include "sipua/message/warning.hpp"

#include "sipua/message/detail/header_lex.hpp"
#include "sipua/message/host.hpp"

namespace sipua {

using detail::cc_digit;
using detail::is;

namespace {

// warn-agent = hostport / pseudonym, pseudonym = token (RFC 3261 §25.1).
bool is_warn_agent(std::string_view a) noexcept {
  if (detail::is_token(a)) return true;
  std::string_view host;
  std::optional<std::uint16_t> port;
  return split_host_port(a, host, port) && classify_host(host).has_value();
}

}  // namespace

parse_result<warning> parse_warning(std::string_view s) noexcept {
  warning w;
  const std::size_t b = detail::skip_lws(s, 0);
  // warn-code = 3DIGIT, then exactly one SP.
  std::size_t i = b;
  while (i < s.size() && i - b < 3 && is(s[i], cc_digit)) {
    w.code = static_cast<std::uint16_t>(w.code * 10 + (s[i] - '0'));
    ++i;
  }
  if (i - b < 3 || (i < s.size() && is(s[i], cc_digit)))
    return parse_failure(parse_errc::bad_number, i);
  if (i >= s.size() || s[i] != ' ') return parse_failure(parse_errc::bad_header_value, i);
  // warn-agent runs over host and token characters up to the next SP.
  const std::size_t a = ++i;
  while (i < s.size() && (is(s[i], detail::cc_token) || s[i] == ':' || s[i] == '[' || s[i] == ']'))
    ++i;
  w.agent = s.substr(a, i - a);
  if (!is_warn_agent(w.agent)) return parse_failure(parse_errc::bad_header_value, a);
  if (i >= s.size() || s[i] != ' ') return parse_failure(parse_errc::bad_header_value, i);
  const std::size_t q = ++i;
  if (q >= s.size() || s[q] != '"') return parse_failure(parse_errc::bad_header_value, q);
  const std::size_t qe = detail::scan_quoted_string(s, q);
  if (qe == detail::npos) return parse_failure(parse_errc::bad_quoted_string, q);
  w.text = s.substr(q + 1, qe - q - 2);
  const std::size_t t = detail::skip_lws(s, qe);
  if (t != s.size()) return parse_failure(parse_errc::bad_header_value, t);
  return w;
}

parse_result<warning_list> parse_warnings(std::string_view text) noexcept {
  return warning_list::parse(text, false);
}

}  // namespace sipua
