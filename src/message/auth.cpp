#include "sipua/message/auth.hpp"

#include <array>

#include "sipua/message/detail/header_lex.hpp"

namespace sipua {

using detail::cc_hex;
using detail::cc_lws;
using detail::cc_token;
using detail::iequals;
using detail::is;
using detail::lex_error;
using detail::npos;
using detail::raw_param;
using detail::scan;
using detail::skip_lws;

namespace {

// auth-param = auth-param-name EQUAL ( token / quoted-string )
// (RFC 3261 §25.1), starting at s[i]. Stores the end of the value in `end`.
lex_error scan_auth_param(std::string_view s, std::size_t i, raw_param& p,
                          std::size_t& end) noexcept {
  const std::size_t ne = scan(s, i, cc_token);
  if (ne == i) return {parse_errc::bad_header_value, i};
  p.name = s.substr(i, ne - i);
  p.name_pos = i;
  const std::size_t eq = skip_lws(s, ne);
  if (eq >= s.size() || s[eq] != '=') return {parse_errc::bad_header_value, eq};
  const std::size_t v = skip_lws(s, eq + 1);
  if (v >= s.size()) return {parse_errc::bad_header_value, v};
  p.value_pos = v;
  p.has_value = true;
  p.quoted = s[v] == '"';
  if (p.quoted) {
    end = detail::scan_quoted_string(s, v);
    if (end == npos) return {parse_errc::bad_quoted_string, v};
  } else {
    end = scan(s, v, cc_token);
    if (end == v) return {parse_errc::bad_header_value, v};
  }
  p.value = s.substr(v, end - v);
  return {};
}

struct auth_frame {
  std::string_view scheme;
  std::string_view params;
  std::size_t rest = npos;  // offset of a following challenge, if any
};

// auth-scheme LWS auth-param *(COMMA auth-param): calls on_param for each
// parameter. After a comma, "token LWS token", "token ," or a token at the
// end starts another challenge (RFC 7235 §4.1): stop there when
// `allow_list`, else fail at it.
template <class F>
lex_error walk_auth(std::string_view s, bool allow_list, auth_frame& out, F&& on_param) {
  const std::size_t b = skip_lws(s, 0);
  const std::size_t se = scan(s, b, cc_token);
  if (se == b) return {parse_errc::bad_header_value, b};
  out.scheme = s.substr(b, se - b);
  std::size_t p = skip_lws(s, se);
  // RFC 3261 §25.1: the scheme is followed by LWS and at least one auth-param.
  if (p == se || p >= s.size()) return {parse_errc::bad_header_value, p};
  const std::size_t first = p;
  std::size_t last_end = p;
  for (;;) {
    raw_param rp;
    if (lex_error e = scan_auth_param(s, p, rp, last_end)) return e;
    if (lex_error e = on_param(rp)) return e;
    const std::size_t q = skip_lws(s, last_end);
    if (q >= s.size()) break;
    if (s[q] != ',') return {parse_errc::bad_header_value, q};
    const std::size_t n = skip_lws(s, q + 1);
    // No empty elements: RFC 3261 §25.1 has no "#" rule with null items.
    if (n >= s.size() || s[n] == ',') return {parse_errc::bad_header_value, n};
    const std::size_t te = scan(s, n, cc_token);
    const std::size_t k = skip_lws(s, te);
    if (te > n && (k >= s.size() || s[k] != '=')) {
      if (!allow_list) return {parse_errc::bad_header_value, n};
      out.rest = n;
      break;
    }
    p = n;
  }
  out.params = s.substr(first, last_end - first);
  return {};
}

// ---- Digest value checks --------------------------------------------------

lex_error want_quoted(const raw_param& p, const auth_parse_options& o) noexcept {
  if (!p.quoted && !o.relaxed_digest_values) return {parse_errc::bad_param, p.value_pos};
  return {};
}

// A token-valued parameter; when relaxed, a quoted value whose content is a
// token is accepted too.
lex_error want_token(const raw_param& p, const auth_parse_options& o) noexcept {
  if (!p.quoted) return {};
  if (!o.relaxed_digest_values || !detail::is_token(p.content()))
    return {parse_errc::bad_param, p.value_pos};
  return {};
}

lex_error read_bool(const raw_param& p, bool any_is_false, std::optional<bool>& out) noexcept {
  const std::string_view v = p.content();
  if (iequals(v, "true"))
    out = true;
  else if (iequals(v, "false") || any_is_false)
    out = false;
  else
    return {parse_errc::bad_param, p.value_pos};
  return {};
}

bool is_lhex(char c, bool relaxed) noexcept {
  // LHEX = DIGIT / %x61-66 (RFC 3261 §25.1)
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (relaxed && is(c, cc_hex));
}

bool all_lhex(std::string_view v, bool relaxed) noexcept {
  for (char c : v)
    if (!is_lhex(c, relaxed)) return false;
  return true;
}

// qop-options content: qop-value *("," qop-value), LWS allowed around the
// commas (RFC 2617 §3.2.1 writes it 1#qop-value; RFC 7616 §3.9.1 has
// "auth, auth-int").
lex_error read_qop_options(const raw_param& p, challenge& c) noexcept {
  const std::string_view v = p.content();
  const std::size_t base = p.value_pos + (p.quoted ? 1 : 0);
  std::size_t i = skip_lws(v, 0);
  for (;;) {
    const std::size_t e = scan(v, i, cc_token);
    if (e == i) return {parse_errc::bad_param, base + i};
    const qop_value q = to_qop_value(v.substr(i, e - i));
    c.qop_auth = c.qop_auth || q == qop_value::auth;
    c.qop_auth_int = c.qop_auth_int || q == qop_value::auth_int;
    i = skip_lws(v, e);
    if (i >= v.size()) break;
    if (v[i] != ',') return {parse_errc::bad_param, base + i};
    i = skip_lws(v, i + 1);
  }
  c.qop = v;
  return {};
}

// domain = "domain" EQUAL LDQUOT URI *( 1*SP URI ) RDQUOT; the URIs are
// checked to be runs of visible ASCII (absoluteURI / abs-path hold no '"'
// nor '\'); an empty value is allowed (RFC 7616 §3.3).
lex_error read_domain(const raw_param& p, std::optional<std::string_view>& out) noexcept {
  const std::string_view v = p.content();
  const std::size_t base = p.value_pos + (p.quoted ? 1 : 0);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    const bool edge = i == 0 || i + 1 == v.size();
    if (c == ' ' ? edge : (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\'))
      return {parse_errc::bad_param, base + i};
  }
  out = v;
  return {};
}

// RFC 5987 §3.2.1: ext-value = charset "'" [ language ] "'" value-chars,
// value-chars = *( pct-encoded / attr-char ).
bool is_ext_value(std::string_view v) noexcept {
  auto in = [](char c, std::string_view set) {
    return is(c, detail::cc_alpha | detail::cc_digit) || set.find(c) != npos;
  };
  const std::size_t q1 = v.find('\'');
  if (q1 == npos || q1 == 0) return false;
  for (char c : v.substr(0, q1))
    if (!in(c, "!#$%&+-^_`{}~")) return false;
  const std::size_t q2 = v.find('\'', q1 + 1);
  if (q2 == npos) return false;
  for (char c : v.substr(q1 + 1, q2 - q1 - 1))
    if (!in(c, "-")) return false;
  const std::string_view chars = v.substr(q2 + 1);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (chars[i] == '%') {
      if (i + 2 >= chars.size() || !is(chars[i + 1], cc_hex) || !is(chars[i + 2], cc_hex))
        return false;
      i += 2;
    } else if (!in(chars[i], "!#$&+-.^_`|~")) {
      return false;
    }
  }
  return true;
}

// ---- the parameter tables -----------------------------------------------

template <std::size_t N>
unsigned find_name(const std::array<std::string_view, N>& names, std::string_view name) noexcept {
  for (unsigned k = 0; k < N; ++k)
    if (iequals(names[k], name)) return k;
  return static_cast<unsigned>(N);
}

enum : unsigned {
  c_realm,
  c_domain,
  c_nonce,
  c_opaque,
  c_stale,
  c_algorithm,
  c_qop,
  c_charset,
  c_userhash
};
constexpr std::array<std::string_view, 9> k_challenge_names = {
    "realm", "domain", "nonce", "opaque", "stale", "algorithm", "qop", "charset", "userhash"};

lex_error on_challenge_param(challenge& c, std::uint32_t& seen, const raw_param& p,
                             const auth_parse_options& o) noexcept {
  const unsigned k = find_name(k_challenge_names, p.name);
  if (k == k_challenge_names.size()) return {};  // auth-param: kept in params
  if (!detail::mark_once(seen, k)) return {parse_errc::bad_param, p.name_pos};
  lex_error e;
  switch (k) {
    case c_realm:
      if (!(e = want_quoted(p, o))) c.realm = p.content();
      break;
    case c_nonce:
      if (!(e = want_quoted(p, o))) c.nonce = p.content();
      break;
    case c_opaque:
      if (!(e = want_quoted(p, o))) c.opaque = p.content();
      break;
    case c_domain:
      if (!(e = want_quoted(p, o))) e = read_domain(p, c.domain);
      break;
    case c_qop:
      if (!(e = want_quoted(p, o))) e = read_qop_options(p, c);
      break;
    case c_stale:
      // RFC 7616 §3.3: a sender MUST NOT quote stale and algorithm.
      if (!(e = want_token(p, o))) e = read_bool(p, o.relaxed_digest_values, c.stale);
      break;
    case c_algorithm:
      if (!(e = want_token(p, o))) {
        c.algorithm_name = p.content();
        c.algorithm = to_digest_algorithm(c.algorithm_name);
      }
      break;
    case c_charset:
      // RFC 7616 §3.3: "The only allowed value is 'UTF-8'."
      if (!iequals(p.content(), "UTF-8")) return {parse_errc::bad_param, p.value_pos};
      c.charset = p.content();
      break;
    case c_userhash: e = read_bool(p, false, c.userhash); break;
    default: break;
  }
  return e;
}

enum : unsigned {
  r_username,
  r_username_star,
  r_realm,
  r_nonce,
  r_uri,
  r_response,
  r_cnonce,
  r_opaque,
  r_algorithm,
  r_qop,
  r_nc,
  r_userhash
};
constexpr std::array<std::string_view, 12> k_credentials_names = {
    "username", "username*", "realm",     "nonce", "uri", "response",
    "cnonce",   "opaque",    "algorithm", "qop",   "nc",  "userhash"};

lex_error quoted_into(const raw_param& p, const auth_parse_options& o,
                      std::optional<std::string_view>& out) noexcept {
  lex_error e = want_quoted(p, o);
  if (!e) out = p.content();
  return e;
}

lex_error on_token_credential(credentials& c, unsigned k, const raw_param& p,
                              const auth_parse_options& o) noexcept {
  if (lex_error e = want_token(p, o)) return e;
  const std::string_view v = p.content();
  switch (k) {
    case r_algorithm:
      c.algorithm_name = v;
      c.algorithm = to_digest_algorithm(v);
      return {};
    case r_qop: c.qop = v; return {};
    case r_nc: {
      // nc-value = 8LHEX (RFC 3261 §25.1)
      if (v.size() != 8 || !all_lhex(v, o.relaxed_digest_values))
        return {parse_errc::bad_param, p.value_pos};
      std::uint32_t n = 0;
      for (char ch : v)
        n = n * 16 + static_cast<std::uint32_t>(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
      c.nc = n;
      c.nc_text = v;
      return {};
    }
    default:  // r_username_star
      if (!is_ext_value(v)) return {parse_errc::bad_param, p.value_pos};
      c.username_star = v;
      return {};
  }
}

lex_error on_credentials_param(credentials& c, std::uint32_t& seen, const raw_param& p,
                               const auth_parse_options& o) noexcept {
  const unsigned k = find_name(k_credentials_names, p.name);
  if (k == k_credentials_names.size()) return {};
  if (!detail::mark_once(seen, k)) return {parse_errc::bad_param, p.name_pos};
  // RFC 7616 §3.4: both username and username* "MUST be treated as an error".
  if ((k == r_username || k == r_username_star) && (seen & 3u) == 3u)
    return {parse_errc::bad_param, p.name_pos};
  switch (k) {
    case r_username: return quoted_into(p, o, c.username);
    case r_realm: return quoted_into(p, o, c.realm);
    case r_nonce: return quoted_into(p, o, c.nonce);
    case r_uri: return quoted_into(p, o, c.uri);  // RFC 3261 §22.4 item 2: quoted in SIP
    case r_cnonce: return quoted_into(p, o, c.cnonce);
    case r_opaque: return quoted_into(p, o, c.opaque);
    case r_response: {
      // request-digest = LDQUOT *LHEX RDQUOT (RFC 8760 §2.7)
      lex_error e = quoted_into(p, o, c.response);
      if (!e && !all_lhex(p.content(), o.relaxed_digest_values))
        e = {parse_errc::bad_param, p.value_pos};
      return e;
    }
    case r_userhash: return read_bool(p, false, c.userhash);
    default: return on_token_credential(c, k, p, o);
  }
}

}  // namespace

// ---- public --------------------------------------------------------------

digest_algorithm to_digest_algorithm(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 6> names = {
      "MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"};
  return static_cast<digest_algorithm>(find_name(names, name));
}

qop_value to_qop_value(std::string_view token) noexcept {
  if (iequals(token, "auth")) return qop_value::auth;
  if (iequals(token, "auth-int")) return qop_value::auth_int;
  return qop_value::other;
}

bool challenge::offers_qop(std::string_view value) const noexcept {
  if (!qop) return false;
  for (std::string_view v : comma_list{*qop})
    if (iequals(v, value)) return true;
  return false;
}

parse_result<challenge> parse_challenge(std::string_view text,
                                        const auth_parse_options& options) noexcept {
  challenge c;
  std::uint32_t seen = 0;
  auth_frame f;
  // The scheme is known before the first parameter reaches the callback.
  const lex_error e = walk_auth(text, options.allow_challenge_list, f, [&](const raw_param& p) {
    return iequals(f.scheme, "Digest") ? on_challenge_param(c, seen, p, options) : lex_error{};
  });
  if (e) return parse_failure(e.code, e.offset);
  c.scheme = f.scheme;
  c.is_digest = iequals(f.scheme, "Digest");
  c.params = auth_params{f.params};
  if (f.rest != npos) c.rest = text.substr(f.rest);
  return c;
}

parse_result<credentials> parse_credentials(std::string_view text,
                                            const auth_parse_options& options) noexcept {
  credentials c;
  std::uint32_t seen = 0;
  auth_frame f;
  const lex_error e = walk_auth(text, false, f, [&](const raw_param& p) {
    return iequals(f.scheme, "Digest") ? on_credentials_param(c, seen, p, options) : lex_error{};
  });
  if (e) return parse_failure(e.code, e.offset);
  c.scheme = f.scheme;
  c.is_digest = iequals(f.scheme, "Digest");
  c.params = auth_params{f.params};
  return c;
}

std::string unescape_quoted(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\\' && i + 1 < content.size()) ++i;
    out.push_back(content[i]);
  }
  return out;
}

void detail::auth_param_step::load() noexcept {
  // raw_ is validated: auth-param *(COMMA auth-param)
  std::size_t i = skip_lws(raw_, pos_);
  if (i < raw_.size() && raw_[i] == ',') i = skip_lws(raw_, i + 1);
  if (i >= raw_.size()) {
    pos_ = next_ = raw_.size();
    return;
  }
  raw_param p;
  std::size_t end = raw_.size();
  if (scan_auth_param(raw_, i, p, end)) end = raw_.size();  // cannot happen on validated text
  cur_ = param{p.name, p.value, true};
  next_ = end;
}

std::optional<param> auth_params::find(std::string_view name) const noexcept {
  for (const param& p : *this)
    if (iequals(p.name, name)) return p;
  return std::nullopt;
}

void detail::uri_word_step::load() noexcept {
  while (pos_ < raw_.size() && raw_[pos_] == ' ') ++pos_;
  std::size_t e = pos_;
  while (e < raw_.size() && raw_[e] != ' ') ++e;
  cur_ = raw_.substr(pos_, e - pos_);
  next_ = e;  // pos_ + cur_.size(): the next word's scan starts here
}

}  // namespace sipua
