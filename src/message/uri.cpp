// URI parsing: sip/sips (RFC 3261 §19.1.1, §25.1), tel (RFC 3966 §3) and
// any other scheme as an opaque absoluteURI. Zero-copy and allocation-free:
// every field views the text given to parse_uri. Comparison lives in
// uri_compare.cpp.
#include "sipua/message/uri.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {

using detail::cc_alpha;
using detail::cc_digit;
using detail::cc_hex;
using detail::cc_hnv_unreserved;
using detail::cc_param_unreserved;
using detail::cc_password;
using detail::cc_reserved;
using detail::cc_unreserved;
using detail::cc_user_unreserved;
using detail::is;
using detail::npos;

namespace {

/// Position in the text being parsed plus the offset of the first error.
struct cursor {
  std::string_view s;
  std::size_t i = 0;
  std::size_t err = npos;

  [[nodiscard]] bool at_end() const noexcept { return i >= s.size(); }
  [[nodiscard]] bool peek(char c) const noexcept { return i < s.size() && s[i] == c; }
  bool fail(std::size_t at) noexcept {
    err = at;
    return false;
  }
};

constexpr bool is_escape_at(std::string_view s, std::size_t i, std::size_t end) noexcept {
  return i + 2 < end && s[i] == '%' && is(s[i + 1], cc_hex) && is(s[i + 2], cc_hex);
}

/// End of the run, starting at i and bounded by end, of characters of class
/// `cls` or `escaped` ("%" HEXDIG HEXDIG). A '%' that does not start a valid
/// escape ends the run, so the caller reports the '%' as the bad character.
constexpr std::size_t scan_escaped(std::string_view s, std::size_t i, std::size_t end,
                                   std::uint16_t cls) noexcept {
  while (i < end) {
    if (is(s[i], cls)) {
      ++i;
    } else if (is_escape_at(s, i, end)) {
      i += 3;
    } else {
      break;
    }
  }
  return i;
}

// RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved )
constexpr std::uint16_t user_chars = cc_unreserved | cc_user_unreserved;
// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
constexpr std::uint16_t password_chars = cc_unreserved | cc_password;
// paramchar = param-unreserved / unreserved / escaped (RFC 3261 and 3966)
constexpr std::uint16_t param_chars = cc_unreserved | cc_param_unreserved;
// hname / hvalue = *( hnv-unreserved / unreserved / escaped )
constexpr std::uint16_t header_chars = cc_unreserved | cc_hnv_unreserved;

/// Characters a hostname, IPv4 address or port may be made of.
constexpr bool is_host_char(char c) noexcept {
  return is(c, cc_alpha) || is(c, cc_digit) || c == '-' || c == '.';
}

// ---------------------------------------------------------------- sip / sips

/// userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
/// (RFC 3261 §25.1). `at` indexes the '@'. A telephone-subscriber's
/// characters outside user must be escaped (§19.1.2), so the user rule
/// covers both alternatives.
bool parse_userinfo(cursor& c, std::size_t at, sip_uri& out) noexcept {
  const std::size_t user_end = scan_escaped(c.s, c.i, at, user_chars);
  // §19.1.1: "If the @ sign is present ... the user field MUST NOT be empty."
  if (user_end == c.i) return c.fail(c.i);
  out.user = c.s.substr(c.i, user_end - c.i);
  out.has_user = true;
  if (user_end < at && c.s[user_end] == ':') {
    const std::size_t pw_end = scan_escaped(c.s, user_end + 1, at, password_chars);
    if (pw_end != at) return c.fail(pw_end);
    out.password = c.s.substr(user_end + 1, pw_end - user_end - 1);
    out.has_password = true;
  } else if (user_end != at) {
    return c.fail(user_end);
  }
  c.i = at + 1;
  return true;
}

/// hostport = host [ ":" port ]; host = hostname / IPv4address /
/// IPv6reference (RFC 3261 §25.1, RFC 5118). Inside an IPv6 reference
/// every ':' belongs to the address: "[2001:db8::10:5070]" has no port
/// (RFC 5118 §4.3), "[2001:db8::10]:5070" has one (§4.4).
bool parse_hostport(cursor& c, sip_uri& out) noexcept {
  const std::size_t begin = c.i;
  std::size_t end = begin;
  if (c.peek('[')) {
    ++end;
    while (end < c.s.size() && (is(c.s[end], cc_hex) || c.s[end] == ':' || c.s[end] == '.')) ++end;
    if (end >= c.s.size() || c.s[end] != ']') return c.fail(end);
    ++end;
  } else {
    while (end < c.s.size() && is_host_char(c.s[end])) ++end;
    if (end == begin) return c.fail(begin);
  }
  out.host = c.s.substr(begin, end - begin);
  const auto kind = classify_host(out.host);
  if (!kind) return c.fail(begin);
  out.host_kind = *kind;
  c.i = end;
  if (c.peek(':')) {
    const std::size_t digits = ++c.i;
    while (c.i < c.s.size() && is(c.s[c.i], cc_digit)) ++c.i;
    std::uint64_t v = 0;
    // port = 1*DIGIT; like split_host_port, at most 5 digits and <= 65535.
    if (c.i - digits > 5 || !detail::parse_uint(c.s.substr(digits, c.i - digits), 65535, v))
      return c.fail(digits);
    out.port = static_cast<std::uint16_t>(v);
  }
  return true;
}

/// uri-parameters = *( ";" uri-parameter ), each one pname [ "=" pvalue ]
/// with 1*paramchar on both sides. The well-known parameters (transport,
/// user, method, ttl, maddr, lr) are also other-params in the ABNF, so only
/// the paramchar form is enforced here.
bool parse_uri_params(cursor& c, sip_uri& out) noexcept {
  const std::size_t begin = c.i;
  while (c.peek(';')) {
    ++c.i;
    const std::size_t name_end = scan_escaped(c.s, c.i, c.s.size(), param_chars);
    if (name_end == c.i) return c.fail(c.i);
    c.i = name_end;
    if (c.peek('=')) {
      const std::size_t value_end = scan_escaped(c.s, c.i + 1, c.s.size(), param_chars);
      if (value_end == c.i + 1) return c.fail(value_end);
      c.i = value_end;
    }
  }
  out.params = param_list{c.s.substr(begin, c.i - begin)};
  return true;
}

/// headers = "?" header *( "&" header ); header = hname "=" hvalue
/// (RFC 3261 §25.1). hname is 1*, hvalue may be empty.
bool parse_uri_headers(cursor& c, sip_uri& out) noexcept {
  if (!c.peek('?')) return true;
  const std::size_t begin = ++c.i;
  for (;;) {
    const std::size_t name_end = scan_escaped(c.s, c.i, c.s.size(), header_chars);
    if (name_end == c.i) return c.fail(c.i);
    if (name_end >= c.s.size() || c.s[name_end] != '=') return c.fail(name_end);
    c.i = scan_escaped(c.s, name_end + 1, c.s.size(), header_chars);
    if (!c.peek('&')) break;
    ++c.i;
  }
  out.headers = c.s.substr(begin, c.i - begin);
  return true;
}

bool parse_sip(cursor& c, sip_uri& out) noexcept {
  // '@' appears in no part of a SIP-URI but userinfo (it is not in
  // paramchar, hname or hvalue), so the first '@' ends the userinfo.
  const std::size_t at = c.s.find('@', c.i);
  if (at != npos && !parse_userinfo(c, at, out)) return false;
  if (!parse_hostport(c, out) || !parse_uri_params(c, out) || !parse_uri_headers(c, out))
    return false;
  return c.at_end() || c.fail(c.i);
}

// ----------------------------------------------------------------------- tel

// RFC 3966 §3: visual-separator = "-" / "." / "(" / ")"
constexpr bool is_visual_separator(char c) noexcept {
  return c == '-' || c == '.' || c == '(' || c == ')';
}

/// global-number-digits = "+" *phonedigit DIGIT *phonedigit, s[c.i] == '+'.
/// Returns the end of the digits, or npos (with c.err set) if no DIGIT.
std::size_t scan_global_digits(cursor& c, std::size_t i) noexcept {
  ++i;
  bool digit = false;
  while (i < c.s.size() && (is(c.s[i], cc_digit) || is_visual_separator(c.s[i]))) {
    digit = digit || is(c.s[i], cc_digit);
    ++i;
  }
  if (!digit) {
    c.fail(i);
    return npos;
  }
  return i;
}

/// local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex
std::size_t scan_local_digits(cursor& c, std::size_t i) noexcept {
  bool digit = false;
  while (i < c.s.size()) {
    const char ch = c.s[i];
    const bool d = is(ch, cc_hex) || ch == '*' || ch == '#';
    if (!d && !is_visual_separator(ch)) break;
    digit = digit || d;
    ++i;
  }
  if (!digit) {
    c.fail(i);
    return npos;
  }
  return i;
}

/// descriptor = domainname / global-number-digits (RFC 3966 §3).
bool parse_descriptor(cursor& c) noexcept {
  const std::size_t begin = c.i;
  if (c.peek('+')) {
    const std::size_t end = scan_global_digits(c, c.i);
    if (end == npos) return false;
    c.i = end;
    return true;
  }
  std::size_t end = begin;
  while (end < c.s.size() && is_host_char(c.s[end])) ++end;
  // domainname is RFC 3261's hostname production; an IPv4 address is not one.
  if (end == begin || classify_host(c.s.substr(begin, end - begin)) != host_type::name)
    return c.fail(begin);
  c.i = end;
  return true;
}

/// The value after "name=" of one tel parameter, by name (RFC 3966 §3):
/// isdn-subaddress = ";isub=" 1*uric, extension = ";ext=" 1*phonedigit,
/// context = ";phone-context=" descriptor, parameter = ";" pname ["=" pvalue].
bool parse_tel_value(cursor& c, std::string_view name) noexcept {
  const std::size_t begin = c.i;
  std::size_t end = begin;
  if (detail::iequals(name, "phone-context")) return parse_descriptor(c);
  if (detail::iequals(name, "ext")) {
    while (end < c.s.size() && (is(c.s[end], cc_digit) || is_visual_separator(c.s[end]))) ++end;
  } else if (detail::iequals(name, "isub")) {
    // uric = reserved / unreserved / escaped; ';' (reserved) starts the
    // next parameter, so the value stops there.
    end = scan_escaped(c.s, end, c.s.size(), cc_reserved | cc_unreserved);
    const std::size_t semi = c.s.substr(0, end).find(';', begin);
    if (semi != npos) end = semi;
  } else {
    end = scan_escaped(c.s, end, c.s.size(), param_chars);
  }
  if (end == begin) return c.fail(begin);
  c.i = end;
  return true;
}

/// *par after the number. Each of isub, ext and phone-context appears at
/// most once, isub and ext not together (RFC 3966 §3, §5.3); a local number
/// needs a phone-context (§5.1.5).
bool parse_tel_params(cursor& c, tel_uri& out) noexcept {
  const std::size_t begin = c.i;
  bool isub = false, ext = false, context = false;
  while (c.peek(';')) {
    const std::size_t name_begin = ++c.i;
    while (c.i < c.s.size() &&
           (is(c.s[c.i], cc_alpha) || is(c.s[c.i], cc_digit) || c.s[c.i] == '-'))
      ++c.i;
    const std::string_view name = c.s.substr(name_begin, c.i - name_begin);
    if (name.empty()) return c.fail(name_begin);
    bool* seen = detail::iequals(name, "isub")            ? &isub
                 : detail::iequals(name, "ext")           ? &ext
                 : detail::iequals(name, "phone-context") ? &context
                                                          : nullptr;
    if (seen != nullptr) {
      if (*seen || (seen == &isub && ext) || (seen == &ext && isub)) return c.fail(name_begin);
      *seen = true;
      if (!c.peek('=')) return c.fail(c.i);
    }
    if (c.peek('=')) {
      ++c.i;
      if (!parse_tel_value(c, name)) return false;
    }
  }
  out.params = param_list{c.s.substr(begin, c.i - begin)};
  if (!out.global && !context) return c.fail(c.s.size());
  return true;
}

bool parse_tel(cursor& c, tel_uri& out) noexcept {
  const std::size_t begin = c.i;
  out.global = c.peek('+');
  const std::size_t end = out.global ? scan_global_digits(c, c.i) : scan_local_digits(c, c.i);
  if (end == npos) return false;
  out.number = c.s.substr(begin, end - begin);
  c.i = end;
  if (!parse_tel_params(c, out)) return false;
  return c.at_end() || c.fail(c.i);
}

// --------------------------------------------------------------------- other

/// absoluteURI with an unknown scheme: at least one visible character, no
/// LWS or controls (the Request-URI and addr-spec forms never hold those).
bool parse_opaque(cursor& c, std::string_view& out) noexcept {
  const std::size_t begin = c.i;
  if (c.at_end()) return c.fail(c.i);
  for (; c.i < c.s.size(); ++c.i) {
    const auto ch = static_cast<unsigned char>(c.s[c.i]);
    if (ch < 0x21 || ch > 0x7E) return c.fail(c.i);
  }
  out = c.s.substr(begin);
  return true;
}

}  // namespace

parse_result<uri> parse_uri(std::string_view text) noexcept {
  uri u;
  u.text = text;
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )   (RFC 3261 §25.1)
  if (text.empty() || !is(text[0], cc_alpha)) return parse_failure(parse_errc::bad_uri, 0);
  const std::size_t colon = detail::scan(text, 1, detail::cc_scheme);
  if (colon >= text.size() || text[colon] != ':') return parse_failure(parse_errc::bad_uri, colon);
  u.scheme_text = text.substr(0, colon);
  cursor c{text, colon + 1};
  bool ok = false;
  if (detail::iequals(u.scheme_text, "sip") || detail::iequals(u.scheme_text, "sips")) {
    u.sip.secure = u.scheme_text.size() == 4;
    u.scheme = u.sip.secure ? uri_scheme::sips : uri_scheme::sip;
    ok = parse_sip(c, u.sip);
  } else if (detail::iequals(u.scheme_text, "tel")) {
    u.scheme = uri_scheme::tel;
    ok = parse_tel(c, u.tel);
  } else {
    u.scheme = uri_scheme::other;
    ok = parse_opaque(c, u.opaque);
  }
  if (!ok) return parse_failure(parse_errc::bad_uri, c.err);
  return u;
}

std::string_view sip_uri::transport() const noexcept {
  const auto p = params.find("transport");
  return p ? p->value : std::string_view{};
}

std::string_view sip_uri::user_param() const noexcept {
  const auto p = params.find("user");
  return p ? p->value : std::string_view{};
}

std::string_view sip_uri::method_param() const noexcept {
  const auto p = params.find("method");
  return p ? p->value : std::string_view{};
}

std::string_view sip_uri::maddr() const noexcept {
  const auto p = params.find("maddr");
  return p ? p->value : std::string_view{};
}

bool sip_uri::lr() const noexcept { return params.contains("lr"); }

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_escape_at(s, i, s.size())) {
      auto hex = [](char h) { return is(h, cc_digit) ? h - '0' : (h | 0x20) - 'a' + 10; };
      // RFC 4475 §3.1.1.4: an escaped NUL is kept, the size not truncated.
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace sipua
