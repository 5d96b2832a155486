#include "sipua/message/retry_after.hpp"

#include "sipua/message/detail/header_lex.hpp"

namespace sipua {

using detail::lex_error;
using detail::raw_param;
using detail::skip_lws;

parse_result<retry_after> parse_retry_after(std::string_view text) noexcept {
  retry_after ra;
  const std::size_t b = skip_lws(text, 0);
  std::size_t end = detail::scan_delta_seconds(text, b, ra.seconds);
  if (end == b) return parse_failure(parse_errc::bad_number, b);
  // [ comment ], LPAREN = SWS "(" SWS
  const std::size_t lp = skip_lws(text, end);
  if (lp < text.size() && text[lp] == '(') {
    const std::size_t rp = detail::scan_comment(text, lp);
    if (rp == detail::npos) return parse_failure(parse_errc::bad_header_value, lp);
    ra.has_comment = true;
    ra.comment = text.substr(lp + 1, rp - lp - 2);
    end = rp;
  }
  bool seen = false;
  const lex_error err =
      detail::finish_params(text, end, ra.params, [&](const raw_param& p) -> lex_error {
        if (!detail::iequals(p.name, "duration")) return {};
        if (seen) return {parse_errc::bad_param, p.name_pos};
        seen = true;
        std::uint32_t v = 0;
        if (!detail::parse_delta_seconds(p.value, v))
          return {parse_errc::bad_param, p.has_value ? p.value_pos : p.name_pos};
        ra.duration = v;
        return {};
      });
  if (err) return parse_failure(err.code, err.offset);
  return ra;
}

}  // namespace sipua
