// validate_syntax: the typed parse of every header field the stack relies
// on, and of the Request-URI. RFC 3261 §7.3 (header fields), §19.1.1
// (Request-URI headers), §20 (each field's grammar), §25.1.
//
// One table maps a header id to the checker for one field value; each
// checker returns its error with the offset into the value, which the driver
// moves to the start of the buffer given to parse_datagram().
#include "sipua/message/validate.hpp"

#include <array>

#include "validate_detail.hpp"

#include "sipua/message/auth.hpp"
#include "sipua/message/contact.hpp"
#include "sipua/message/cseq.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/event.hpp"
#include "sipua/message/name_addr.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/reason.hpp"
#include "sipua/message/retry_after.hpp"
#include "sipua/message/session_expires.hpp"
#include "sipua/message/token_list.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/message/via.hpp"
#include "sipua/message/warning.hpp"

namespace sipua {
namespace {

using detail::cc_digit;
using detail::cc_token;
using detail::is;

/// Checks one field value; the error's offset is relative to `value`.
using checker = parse_error (*)(std::string_view value) noexcept;

template <class T>
parse_error error_of(const parse_result<T>& r) noexcept {
  return r ? parse_error{} : r.error();
}

parse_error fail_at(parse_errc code, std::size_t offset) noexcept {
  return parse_error{code, offset, {}, default_status(code)};
}

// Moves an error found inside `part` (a piece of `value`) to value offsets.
parse_error shift(parse_error e, std::string_view value, std::string_view part) noexcept {
  if (e) e.offset += static_cast<std::size_t>(part.data() - value.data());
  return e;
}

// tag-param = "tag" EQUAL token   (§25.1 from-param / to-param)
parse_error check_tag(std::string_view value, const name_addr& a) noexcept {
  for (const param& p : a.params) {
    if (!detail::iequals(p.name, "tag")) continue;
    const bool token =
        p.has_value && !p.value.empty() && detail::scan(p.value, 0, cc_token) == p.value.size();
    if (!token)
      return shift(fail_at(parse_errc::bad_param, 0), value, p.has_value ? p.value : p.name);
  }
  return {};
}

// From / To: ( name-addr / addr-spec ) *( SEMI from-param )   (§20.20, §20.39)
parse_error check_from_to(std::string_view value) noexcept {
  const auto r = parse_name_addr(value);
  if (!r) return r.error();
  return check_tag(value, *r);
}

// A single ( name-addr / addr-spec ) *( SEMI generic-param ): Reply-To
// (§20.31), Refer-To (RFC 3515 §2.1), Referred-By (RFC 3892 §3).
parse_error check_name_addr(std::string_view value) noexcept {
  return error_of(parse_name_addr(value));
}

// Splits `value` at top-level commas and runs `each` on every element; an
// empty element (",," or a trailing ',') is bad_header_value.
template <class F>
parse_error for_each_element(std::string_view value, F&& each) noexcept {
  const comma_list list{value};
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (it->empty()) return fail_at(parse_errc::bad_header_value, it.offset());
    if (parse_error e = each(*it)) return shift(e, value, *it);
  }
  return {};
}

// Route, Record-Route (§20.30, §20.34), Path (RFC 3327 §4), Service-Route
// (RFC 3608 §5): name-addr *( SEMI rr-param ), comma-separated. The URI must
// be in angle brackets (route-param has no addr-spec form).
parse_error check_route(std::string_view value) noexcept {
  return for_each_element(value, [](std::string_view element) noexcept -> parse_error {
    const auto r = parse_name_addr(element);
    if (!r) return r.error();
    if (!r->bracketed) return fail_at(parse_errc::bad_header_value, 0);
    return {};
  });
}

// P-Asserted-Identity, P-Preferred-Identity (RFC 3325 §9.1, §9.2):
// ( name-addr / addr-spec ), comma-separated, no parameters.
parse_error check_identity(std::string_view value) noexcept {
  return for_each_element(value, [](std::string_view element) noexcept -> parse_error {
    const auto r = parse_name_addr(element);
    if (!r) return r.error();
    if (!r->params.empty())
      return shift(fail_at(parse_errc::bad_param, 0), element, r->params.raw());
    return {};
  });
}

// Contact: STAR / contact-param *(COMMA contact-param)   (§20.10)
// Contact: STAR / contact-param *(COMMA contact-param)   (§20.10): "*" is
// the whole value, never one element of a list (reported at the second
// element).
parse_error check_contact(std::string_view value) noexcept {
  std::size_t elements = 0;
  bool star = false;
  return for_each_element(value, [&](std::string_view element) noexcept -> parse_error {
    const auto c = parse_contact(element);
    if (!c) return c.error();
    ++elements;
    star = star || c->star;
    if (star && elements > 1) return fail_at(parse_errc::bad_header_value, 0);
    return {};
  });
}

// A "*" Contact field next to other Contact fields is the same list as
// "*, ..." once combined (§7.3.1).
bool lone_star_violated(const message& m, const header_field& f) noexcept {
  return f.id == header_id::contact && detail::trim_lws(f.value) == "*" &&
         m.count(header_id::contact) > 1;
}

parse_error check_via(std::string_view value) noexcept {
  return error_of(validate_via_list(value));
}
// The views whose whole check is "does it parse": one template instead of a
// wrapper per view.
template <auto Parse>
parse_error parses(std::string_view value) noexcept {
  return error_of(Parse(value));
}
// These two take options (with defaults a function pointer does not carry).
parse_error check_credentials(std::string_view value) noexcept {
  return error_of(parse_credentials(value));
}
parse_error check_challenge(std::string_view value) noexcept {
  return error_of(parse_challenge(value));
}

parse_error check_date(std::string_view value) noexcept {
  const std::size_t bad = detail::check_sip_date(value);
  return bad == detail::npos ? parse_error{} : fail_at(parse_errc::bad_header_value, bad);
}

constexpr std::array<checker, header_id_count> make_checkers() {
  std::array<checker, header_id_count> t{};
  auto set = [&t](header_id id, checker c) { t[static_cast<std::size_t>(id)] = c; };
  set(header_id::via, check_via);
  set(header_id::from, check_from_to);
  set(header_id::to, check_from_to);
  set(header_id::call_id, parses<parse_call_id>);
  set(header_id::cseq, parses<parse_cseq>);
  set(header_id::contact, check_contact);
  set(header_id::max_forwards, parses<parse_max_forwards>);
  set(header_id::content_type, parses<parse_media_type>);
  set(header_id::route, check_route);
  set(header_id::record_route, check_route);
  set(header_id::path, check_route);
  set(header_id::service_route, check_route);
  set(header_id::expires, parses<parse_delta_seconds>);
  set(header_id::min_expires, parses<parse_delta_seconds>);
  set(header_id::reply_to, check_name_addr);
  set(header_id::refer_to, check_name_addr);
  set(header_id::referred_by, check_name_addr);
  set(header_id::p_asserted_identity, check_identity);
  set(header_id::p_preferred_identity, check_identity);
  set(header_id::rseq, parses<parse_rseq>);
  set(header_id::rack, parses<parse_rack>);
  // Content-Encoding = content-coding *(COMMA content-coding), a token list
  // like Require (§20.12).
  set(header_id::content_encoding, parses<parse_option_tags>);
  set(header_id::require, parses<parse_option_tags>);
  set(header_id::proxy_require, parses<parse_option_tags>);
  set(header_id::unsupported, parses<parse_option_tags>);
  set(header_id::supported, parses<parse_supported>);
  set(header_id::allow, parses<parse_allow>);
  set(header_id::allow_events, parses<parse_allow_events>);
  set(header_id::accept, parses<parse_accept>);
  set(header_id::authorization, check_credentials);
  set(header_id::proxy_authorization, check_credentials);
  set(header_id::www_authenticate, check_challenge);
  set(header_id::proxy_authenticate, check_challenge);
  set(header_id::retry_after, parses<parse_retry_after>);
  set(header_id::event, parses<parse_event>);
  set(header_id::subscription_state, parses<parse_subscription_state>);
  set(header_id::session_expires, parses<parse_session_expires>);
  set(header_id::min_se, parses<parse_min_se>);
  set(header_id::reason, parses<parse_reasons>);
  set(header_id::warning, parses<parse_warnings>);
  set(header_id::date, check_date);
  return t;
}

constexpr std::array<checker, header_id_count> k_checkers = make_checkers();

// Request-URI = SIP-URI / SIPS-URI / absoluteURI (§25.1). Offsets relative
// to the URI text.
parse_error check_request_uri(std::string_view text) noexcept {
  const auto r = parse_uri(text);
  if (!r) return fail_at(parse_errc::bad_request_uri, r.error().offset);
  // §19.1.1 Table 1: headers are not allowed in a Request-URI (RFC 4475
  // §3.1.2.11 escruri). Reported at the '?'.
  const bool sip = r->scheme == uri_scheme::sip || r->scheme == uri_scheme::sips;
  if (sip && !r->sip.headers.empty())
    return fail_at(parse_errc::bad_request_uri,
                   static_cast<std::size_t>(r->sip.headers.data() - text.data()) - 1);
  return {};
}

}  // namespace

parse_error validate_syntax(const message& m, const validate_options& options) noexcept {
  const int status = m.is_request() ? 400 : 0;
  auto at = [&](parse_error e, std::string_view part, std::string_view header) noexcept {
    e.offset += m.offset_of(part.data());
    e.header = header;
    e.status = status;
    return e;
  };
  if (m.is_request()) {
    if (parse_error e = check_request_uri(m.request_uri())) return at(e, m.request_uri(), {});
  }
  for (const header_field& f : m.headers()) {
    if (f.id == header_id::date && options.allow_malformed_date) continue;
    const checker c = k_checkers[static_cast<std::size_t>(f.id)];
    if (c == nullptr) continue;
    if (parse_error e = c(f.value)) return at(e, f.value, f.name);
    if (lone_star_violated(m, f))
      return at(fail_at(parse_errc::bad_header_value, 0), f.value, f.name);
  }
  return {};
}

}  // namespace sipua
