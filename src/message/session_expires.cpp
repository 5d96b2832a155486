#include "sipua/message/session_expires.hpp"

#include "sipua/message/detail/header_lex.hpp"

namespace sipua {

using detail::lex_error;
using detail::raw_param;

namespace {

// delta-seconds at the start of the value (after optional LWS).
bool leading_delta(std::string_view s, std::uint32_t& out, std::size_t& end,
                   std::size_t& at) noexcept {
  at = detail::skip_lws(s, 0);
  end = detail::scan_delta_seconds(s, at, out);
  return end != at;
}

}  // namespace

parse_result<session_expires> parse_session_expires(std::string_view text) noexcept {
  session_expires se;
  std::size_t end = 0, at = 0;
  if (!leading_delta(text, se.seconds, end, at)) return parse_failure(parse_errc::bad_number, at);
  bool seen = false;
  // se-params = refresher-param / generic-param (RFC 4028 §4)
  const lex_error err =
      detail::finish_params(text, end, se.params, [&](const raw_param& p) -> lex_error {
        if (!detail::iequals(p.name, "refresher")) return {};
        if (seen) return {parse_errc::bad_param, p.name_pos};
        seen = true;
        if (!p.has_value) return {parse_errc::bad_param, p.name_pos};
        if (detail::iequals(p.value, "uac"))
          se.refresher = refresher::uac;
        else if (detail::iequals(p.value, "uas"))
          se.refresher = refresher::uas;
        else
          return {parse_errc::bad_param, p.value_pos};
        return {};
      });
  if (err) return parse_failure(err.code, err.offset);
  return se;
}

parse_result<min_se> parse_min_se(std::string_view text) noexcept {
  min_se m;
  std::size_t end = 0, at = 0;
  if (!leading_delta(text, m.seconds, end, at)) return parse_failure(parse_errc::bad_number, at);
  const lex_error err =
      detail::finish_params(text, end, m.params, [](const raw_param&) { return lex_error{}; });
  if (err) return parse_failure(err.code, err.offset);
  return m;
}

}  // namespace sipua
