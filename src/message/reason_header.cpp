#include "sipua/message/detail/header_lex.hpp"
#include "sipua/message/reason.hpp"

namespace sipua {

using detail::iequals;
using detail::lex_error;
using detail::raw_param;

bool reason::is_sip() const noexcept { return iequals(protocol, "SIP"); }
bool reason::is_q850() const noexcept { return iequals(protocol, "Q.850"); }

parse_result<reason> parse_reason(std::string_view text) noexcept {
  reason r;
  const std::size_t b = detail::skip_lws(text, 0);
  const std::size_t e = detail::scan(text, b, detail::cc_token);
  if (e == b) return parse_failure(parse_errc::bad_header_value, b);
  r.protocol = text.substr(b, e - b);
  const lex_error err =
      detail::finish_params(text, e, r.params, [&](const raw_param& p) -> lex_error {
        const std::size_t at = p.has_value ? p.value_pos : p.name_pos;
        if (iequals(p.name, "cause")) {
          // protocol-cause = "cause" EQUAL cause, cause = 1*DIGIT
          if (r.cause) return {parse_errc::bad_param, p.name_pos};
          std::uint64_t v = 0;
          if (!detail::parse_uint(p.value, 0xffffffffULL, v)) return {parse_errc::bad_param, at};
          r.cause = static_cast<std::uint32_t>(v);
        } else if (iequals(p.name, "text")) {
          // reason-text = "text" EQUAL quoted-string
          if (r.text) return {parse_errc::bad_param, p.name_pos};
          if (!p.quoted) return {parse_errc::bad_param, at};
          r.text = p.content();
        }
        return {};
      });
  if (err) return parse_failure(err.code, err.offset);
  return r;
}

parse_result<reason_list> parse_reasons(std::string_view text) noexcept {
  return reason_list::parse(text, false);
}

}  // namespace sipua
