#include "sipua/message/token_list.hpp"

#include "sipua/message/detail/header_lex.hpp"
#include "sipua/message/event.hpp"

namespace sipua {

using detail::cc_digit;
using detail::cc_token;
using detail::iequals;
using detail::is;
using detail::lex_error;
using detail::raw_param;
using detail::scan;
using detail::skip_lws;

namespace {

using token_check = bool (*)(std::string_view) noexcept;

bool any_token(std::string_view) noexcept { return true; }

// token *(COMMA token), COMMA = SWS "," SWS (RFC 3261 §25.1); no empty
// elements.
parse_result<token_list> parse_tokens(std::string_view s, bool allow_empty, token_match m,
                                      token_check valid) noexcept {
  std::size_t i = skip_lws(s, 0);
  if (i == s.size() && allow_empty) return token_list{{}, 0, m};
  std::size_t count = 0;
  for (;;) {
    const std::size_t e = scan(s, i, cc_token);
    if (e == i || !valid(s.substr(i, e - i))) return parse_failure(parse_errc::bad_header_value, i);
    ++count;
    i = skip_lws(s, e);
    if (i == s.size()) break;
    if (s[i] != ',') return parse_failure(parse_errc::bad_header_value, i);
    i = skip_lws(s, i + 1);
  }
  return token_list{detail::trim_lws(s), count, m};
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 3261 §25.1)
bool parse_qvalue(std::string_view v, std::uint16_t& out) noexcept {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return false;
  std::uint16_t q = v[0] == '1' ? 1000 : 0;
  if (v.size() == 1) return out = q, true;
  if (v[1] != '.' || v.size() > 5) return false;
  std::uint16_t scale = 100;
  for (char c : v.substr(2)) {
    if (!is(c, cc_digit) || (q == 1000 && c != '0')) return false;
    q = static_cast<std::uint16_t>(q + (c - '0') * scale);
    scale = static_cast<std::uint16_t>(scale / 10);
  }
  out = q;
  return true;
}

}  // namespace

void detail::token_step::load() noexcept {
  std::size_t i = skip_lws(raw_, pos_);
  if (i < raw_.size() && raw_[i] == ',') i = skip_lws(raw_, i + 1);
  if (i >= raw_.size()) {
    pos_ = next_ = raw_.size();
    return;
  }
  next_ = scan(raw_, i, cc_token);
  cur_ = raw_.substr(i, next_ - i);
}

bool token_list::contains(std::string_view token) const noexcept {
  for (std::string_view t : *this)
    if (match_ == token_match::case_sensitive ? t == token : iequals(t, token)) return true;
  return false;
}

parse_result<token_list> parse_option_tags(std::string_view text) noexcept {
  return parse_tokens(text, false, token_match::case_insensitive, any_token);
}

parse_result<token_list> parse_supported(std::string_view text) noexcept {
  return parse_tokens(text, true, token_match::case_insensitive, any_token);
}

parse_result<token_list> parse_allow(std::string_view text) noexcept {
  return parse_tokens(text, true, token_match::case_sensitive, any_token);
}

parse_result<token_list> parse_allow_events(std::string_view text) noexcept {
  return parse_tokens(text, false, token_match::case_sensitive, is_event_type);
}

bool media_range::matches(std::string_view t, std::string_view st) const noexcept {
  if (type == "*") return true;
  return iequals(type, t) && (subtype == "*" || iequals(subtype, st));
}

parse_result<media_range> parse_media_range(std::string_view s) noexcept {
  // media-range = ( "*/*" / ( m-type SLASH "*" ) / ( m-type SLASH m-subtype ) )
  //               *( SEMI m-parameter ), SLASH = SWS "/" SWS
  media_range r;
  const std::size_t b = skip_lws(s, 0);
  const std::size_t te = scan(s, b, cc_token);
  if (te == b) return parse_failure(parse_errc::bad_header_value, b);
  r.type = s.substr(b, te - b);
  std::size_t i = skip_lws(s, te);
  if (i >= s.size() || s[i] != '/') return parse_failure(parse_errc::bad_header_value, i);
  const std::size_t sb = skip_lws(s, i + 1);
  const std::size_t se = scan(s, sb, cc_token);
  r.subtype = s.substr(sb, se - sb);
  if (se == sb || (r.type == "*" && r.subtype != "*"))
    return parse_failure(parse_errc::bad_header_value, sb);
  // accept-param = ("q" EQUAL qvalue) / generic-param
  const lex_error err =
      detail::finish_params(s, se, r.params, [&](const raw_param& p) -> lex_error {
        if (!iequals(p.name, "q")) return {};
        if (r.q) return {parse_errc::bad_param, p.name_pos};
        std::uint16_t q = 0;
        if (!p.has_value) return {parse_errc::bad_param, p.name_pos};
        if (!parse_qvalue(p.value, q)) return {parse_errc::bad_param, p.value_pos};
        r.q = q;
        return {};
      });
  if (err) return parse_failure(err.code, err.offset);
  return r;
}

parse_result<accept_list> parse_accept(std::string_view text) noexcept {
  return accept_list::parse(text, true);
}

}  // namespace sipua
