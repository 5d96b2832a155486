#include "sipua/message/event.hpp"

#include <array>

#include "sipua/message/detail/header_lex.hpp"

namespace sipua {

using detail::iequals;
using detail::lex_error;
using detail::raw_param;
using detail::skip_lws;

namespace {

template <class E, std::size_t N>
E classify(const std::array<std::string_view, N>& names, std::string_view v, E other) noexcept {
  for (std::size_t k = 0; k < N; ++k)
    if (iequals(names[k], v)) return static_cast<E>(k);
  return other;
}

constexpr std::array<std::string_view, 3> k_substates = {"active", "pending", "terminated"};
constexpr std::array<std::string_view, 7> k_reasons = {
    "deactivated", "probation", "rejected", "timeout", "giveup", "noresource", "invariant"};

// A parameter whose value must be a plain token (not quoted, not a host).
bool token_value(const raw_param& p) noexcept { return p.has_value && detail::is_token(p.value); }

std::size_t value_or_name(const raw_param& p) noexcept {
  return p.has_value ? p.value_pos : p.name_pos;
}

}  // namespace

bool is_event_type(std::string_view t) noexcept {
  // token-nodot = 1*( alphanum / "-" / "!" / "%" / "*" / "_" / "+" / "`"
  //               / "'" / "~" ): the token characters without '.'.
  if (!detail::is_token(t) || t.front() == '.' || t.back() == '.') return false;
  return t.find("..") == std::string_view::npos;
}

parse_result<event> parse_event(std::string_view text) noexcept {
  event ev;
  const std::size_t b = skip_lws(text, 0);
  const std::size_t e = detail::scan(text, b, detail::cc_token);
  ev.type = text.substr(b, e - b);
  if (!is_event_type(ev.type)) return parse_failure(parse_errc::bad_header_value, b);
  const std::size_t dot = ev.type.find('.');
  ev.package = ev.type.substr(0, dot);
  if (dot != std::string_view::npos) ev.templates = ev.type.substr(dot + 1);
  // event-param = generic-param / ( "id" EQUAL token )
  const lex_error err =
      detail::finish_params(text, e, ev.params, [&](const raw_param& p) -> lex_error {
        if (!iequals(p.name, "id")) return {};
        if (ev.id) return {parse_errc::bad_param, p.name_pos};
        if (!token_value(p)) return {parse_errc::bad_param, value_or_name(p)};
        ev.id = p.value;
        return {};
      });
  if (err) return parse_failure(err.code, err.offset);
  return ev;
}

bool same_event(const event& a, const event& b) noexcept {
  return a.type == b.type && a.id == b.id;
}

parse_result<subscription_state> parse_subscription_state(std::string_view text) noexcept {
  subscription_state st;
  const std::size_t b = skip_lws(text, 0);
  const std::size_t e = detail::scan(text, b, detail::cc_token);
  if (e == b) return parse_failure(parse_errc::bad_header_value, b);
  st.state_name = text.substr(b, e - b);
  st.state = classify(k_substates, st.state_name, substate::extension);
  std::uint32_t seen = 0;
  const lex_error err =
      detail::finish_params(text, e, st.params, [&](const raw_param& p) -> lex_error {
        unsigned k = 0;
        if (iequals(p.name, "reason"))
          k = 1;
        else if (iequals(p.name, "expires"))
          k = 2;
        else if (iequals(p.name, "retry-after"))
          k = 3;
        else
          return {};
        if (!detail::mark_once(seen, k)) return {parse_errc::bad_param, p.name_pos};
        if (k == 1) {
          if (!token_value(p)) return {parse_errc::bad_param, value_or_name(p)};
          st.reason_name = p.value;
          st.reason = classify(k_reasons, p.value, event_reason::extension);
          return {};
        }
        std::uint32_t v = 0;
        if (!detail::parse_delta_seconds(p.value, v))
          return {parse_errc::bad_param, value_or_name(p)};
        (k == 2 ? st.expires : st.retry_after) = v;
        return {};
      });
  if (err) return parse_failure(err.code, err.offset);
  return st;
}

}  // namespace sipua
