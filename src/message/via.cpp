// Via (RFC 3261 §20.42, §25.1 via-parm; RFC 3581 rport; RFC 5118 §4.5).
//
// One pass over the via-parm: sent-protocol, sent-by, then the parameter
// list, which scan_generic_params validates before the known parameters are
// read out of it. Nothing is copied; no allocation.
#include "sipua/message/via.hpp"

#include <cstring>

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {
namespace {

using detail::cc_alpha;
using detail::cc_digit;
using detail::cc_token;
using detail::is;
using detail::npos;
using detail::scan;
using detail::skip_lws;

// sent-protocol = protocol-name SLASH protocol-version SLASH transport,
// SLASH = SWS "/" SWS, so LWS may sit around each '/' (RFC 4475 wsinv:
// "SIP  /   2.0 / UDP"). Returns the index after transport, or npos with
// `err` at the first character that does not fit.
std::size_t sent_protocol(std::string_view s, std::size_t i, via& v, std::size_t& err) noexcept {
  // What nearly every element sends: "SIP/2.0/" and a transport token.
  if (s.size() - i > 8 && std::memcmp(s.data() + i, "SIP/2.0/", 8) == 0) {
    const std::size_t e = scan(s, i + 8, cc_token);
    if (e != i + 8) {
      v.protocol_name = detail::slice(s, i, i + 3);
      v.protocol_version = detail::slice(s, i + 4, i + 7);
      v.transport = detail::slice(s, i + 8, e);
      return e;
    }
  }
  std::string_view* const parts[] = {&v.protocol_name, &v.protocol_version, &v.transport};
  for (std::size_t k = 0; k < 3; ++k) {
    if (k > 0) {
      i = skip_lws(s, i);
      if (i >= s.size() || s[i] != '/') return (err = i, npos);
      i = skip_lws(s, i + 1);
    }
    const std::size_t e = scan(s, i, cc_token);
    if (e == i) return (err = i, npos);
    *parts[k] = detail::slice(s, i, e);
    i = e;
  }
  return i;
}

// sent-by = host [ COLON port ], COLON = SWS ":" SWS. The host is a
// hostname, IPv4address or IPv6reference (brackets required, RFC 5118 §4.5).
std::size_t sent_by(std::string_view s, std::size_t i, via& v, std::size_t& err) noexcept {
  const std::size_t b = i;
  if (i < s.size() && s[i] == '[') {
    const std::size_t rb = s.find(']', i);
    if (rb == npos) return (err = i, npos);
    i = rb + 1;
  } else {
    i = scan(s, i, detail::cc_hostname);
  }
  const auto kind = classify_host(detail::slice(s, b, i));
  if (!kind) return (err = b, npos);
  v.host = detail::slice(s, b, i);
  v.host_kind = *kind;
  const std::size_t colon = skip_lws(s, i);
  if (colon < s.size() && s[colon] == ':') {
    const std::size_t pb = skip_lws(s, colon + 1);
    // port = 1*DIGIT, at most 65535 (five digits at most: no overflow).
    std::size_t pe = pb;
    unsigned port = 0;
    while (pe < s.size() && pe - pb < 6 && static_cast<unsigned char>(s[pe] - '0') < 10)
      port = port * 10 + static_cast<unsigned>(s[pe++] - '0');
    if (pe == pb || pe - pb > 5 || port > 65535) return (err = pb, npos);
    v.port = static_cast<std::uint16_t>(port);
    i = pe;
  }
  return i;
}

// received = IPv4address / IPv6address; RFC 5118 §4.5: accept the IPv6
// address with or without the brackets of an IPv6reference.
bool valid_received(std::string_view r) noexcept {
  if (!r.empty() && r.front() == '[') return classify_host(r) == host_type::ipv6;
  return is_ipv4_address(r) || is_ipv6_address(r);
}

// Checks one well-known via-params value and records it (the first of each
// name wins; later duplicates are still checked). Returns false if the
// value is out of its grammar.
bool known_param(const param& p, bool value_is_token, via& v) noexcept {
  const std::string_view val = p.value;
  std::uint64_t n = 0;
  switch (p.name.size()) {
    case 6:
      if (detail::token_equals(p.name, "branch")) {
        // via-branch = "branch" EQUAL token
        if (!p.has_value || !value_is_token) return false;
        if (v.branch.empty()) v.branch = val;
      }
      break;
    case 8:
      if (detail::token_equals(p.name, "received")) {
        if (!p.has_value || !valid_received(val)) return false;
        if (v.received.empty()) v.received = val;
      }
      break;
    case 5:
      if (detail::token_equals(p.name, "rport")) {
        // RFC 3581 §3: response-port = "rport" [EQUAL 1*DIGIT]
        if (p.has_value) {
          if (val.size() > 5 || !detail::parse_uint(val, 65535, n)) return false;
          if (!v.has_rport) v.rport = static_cast<std::uint16_t>(n);
        }
        v.has_rport = true;
      } else if (detail::token_equals(p.name, "maddr")) {
        // via-maddr = "maddr" EQUAL host
        if (!p.has_value || !classify_host(val)) return false;
        if (v.maddr.empty()) v.maddr = val;
      }
      break;
    case 3:
      if (detail::token_equals(p.name, "ttl")) {
        // via-ttl = "ttl" EQUAL ttl, ttl = 1*3DIGIT ; 0 to 255
        if (!p.has_value || val.size() > 3 || !detail::parse_uint(val, 255, n)) return false;
        if (!v.ttl) v.ttl = static_cast<std::uint8_t>(n);
      }
      break;
    default: break;
  }
  return true;
}

}  // namespace

namespace detail {

std::size_t parse_via_at(std::string_view s, std::size_t i, via& v, parse_error& error) noexcept {
  std::size_t err = 0;
  i = sent_protocol(s, i, v, err);
  if (i == npos) return (error = parse_failure(parse_errc::bad_header_value, err).error, npos);
  // via-parm = sent-protocol LWS sent-by: the LWS is required.
  const std::size_t h = skip_lws(s, i);
  if (h == i) return (error = parse_failure(parse_errc::bad_header_value, i).error, npos);
  i = sent_by(s, h, v, err);
  if (i == npos) return (error = parse_failure(parse_errc::bad_header_value, err).error, npos);
  // *( SEMI via-params ): every one is at least a generic-param, so ";;"
  // (RFC 4475 badinv01) fails here. The well-known ones are checked and
  // recorded in the same pass.
  const std::size_t end = for_each_generic_param(
      s, i, err, [&v](const param& p, bool token) { return known_param(p, token, v); });
  if (end == npos) return (error = parse_failure(parse_errc::bad_param, err).error, npos);
  v.params = params_between(s, i, end);
  return end;
}

}  // namespace detail

parse_result<via> parse_via(std::string_view s) noexcept {
  parse_result<via> r{via{}};
  parse_error err;
  const std::size_t end = detail::parse_via_at(s, skip_lws(s, 0), *r, err);
  if (end == npos) {
    r = unexpected{err};
    return r;
  }
  const std::size_t rest = skip_lws(s, end);
  if (rest != s.size()) r = parse_failure(parse_errc::bad_header_value, rest);
  return r;
}

parse_result<std::size_t> validate_via_list(std::string_view value) noexcept {
  // Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm): no element may
  // be empty (RFC 4475 badinv01 ends in ",;,,").
  std::size_t n = 0;
  const comma_list list{value};
  for (auto it = list.begin(); it != list.end(); ++it) {
    auto r = parse_via(*it);
    if (!r) {
      parse_error e = r.error();
      e.offset += it.offset();
      return unexpected{e};
    }
    ++n;
  }
  return n;
}

}  // namespace sipua
