// uas_check / uac_check: what a receiving element decides about a message
// that is well formed. RFC 3261 §8.2 (UAS, in its order), §16.3 (proxy
// request validation), §10.3 (registrar), §8.1.3 (UAC); RFC 4475 §3.3
// (application-layer semantics) for the cases the torture tests name.
#include <algorithm>
#include <array>

#include "uas_steps.hpp"

#include "sipua/message/contact.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/status.hpp"
#include "sipua/message/token_list.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/message/validate.hpp"
#include "sipua/message/via.hpp"

namespace sipua {
namespace detail {

uas_verdict respond(int status, std::string_view header, std::string_view rule) {
  uas_verdict v;
  v.action = verdict_action::respond;
  v.status = status;
  v.reason = default_reason(status);
  v.header = header;
  v.rule = rule;
  return v;
}

bool contains(const std::vector<std::string>& names, std::string_view s, bool case_sensitive) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return case_sensitive ? n == s : iequals(n, s); });
}

}  // namespace detail

namespace {

using detail::contains;
using detail::iequals;
using detail::respond;
using detail::step_result;

uas_verdict drop(std::string_view header, std::string_view rule) {
  uas_verdict v;
  v.action = verdict_action::drop;
  v.header = header;
  v.rule = rule;
  return v;
}

/// The name of the n-th (0-based) field with `id`, as written.
std::string_view nth_name(const message& m, header_id id, std::size_t n) noexcept {
  for (const header_field& f : m.headers())
    if (f.id == id && n-- == 0) return f.name;
  return header_name(id);
}

/// "scheme" of "scheme:rest" (the text before the first ':').
std::string_view scheme_of(std::string_view uri) noexcept { return uri.substr(0, uri.find(':')); }

bool is_bad_version(const message& m) noexcept { return !iequals(m.version(), "SIP/2.0"); }

// §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory in
// every request; §20 gives To, From, Call-ID, CSeq and Max-Forwards one
// value each. Returns the header at fault and whether it is missing.
struct mandatory_fault {
  std::string_view header;
  bool missing = false;
};

std::optional<mandatory_fault> check_mandatory(const message& m, bool count_max_forwards) {
  constexpr std::array<header_id, 5> required{header_id::to, header_id::from, header_id::call_id,
                                              header_id::cseq, header_id::via};
  for (header_id id : required)
    if (m.count(id) == 0) return mandatory_fault{header_name(id), true};
  constexpr std::array<header_id, 5> single{header_id::to, header_id::from, header_id::call_id,
                                            header_id::cseq, header_id::max_forwards};
  for (header_id id : single) {
    if (id == header_id::max_forwards && !count_max_forwards) continue;
    if (m.count(id) > 1) return mandatory_fault{nth_name(m, id, 1), false};
  }
  return std::nullopt;
}

// ---- request steps ------------------------------------------------------
// Each returns a verdict when its check decides, else nullopt.

step_result check_method(const message& m, const uas_policy& p) {
  if (p.role == uas_role::proxy) return std::nullopt;  // §16.3 step 1: forward any method
  if (contains(p.allowed_methods, m.method_name(), true)) return std::nullopt;
  if (m.method() != method::extension)
    return respond(405, {},
                   "RFC 3261 §8.2.1: the method is known but not supported; answer with Allow");
  return respond(501, {}, "RFC 3261 §8.2.1, §21.5.2: the method is not implemented");
}

step_result check_cseq_method(const message& m, const uas_policy& p) {
  const auto c = m.cseq();
  if (!c) return respond(400, c.error().header, "RFC 3261 §20.16: malformed CSeq");
  if (c->method_name == m.method_name()) return std::nullopt;
  const std::string_view header = nth_name(m, header_id::cseq, 0);
  // RFC 4475 §3.1.2.18 (mismatch02): an unknown method with a mismatched
  // CSeq is better answered 501, particularly at proxies.
  if (p.role == uas_role::proxy && m.method() == method::extension)
    return respond(501, header, "RFC 4475 §3.1.2.18: unknown method with a CSeq method mismatch");
  return respond(400, header,
                 "RFC 3261 §8.1.1.5, §20.16: the CSeq method differs from the request method");
}

step_result check_uri_scheme(const message& m, const uas_policy& p) {
  if (contains(p.uri_schemes, scheme_of(m.request_uri()), false)) return std::nullopt;
  return respond(416, {}, "RFC 3261 §8.2.2.1, §16.3: the Request-URI scheme is not supported");
}

step_result check_max_forwards(const message& m, const uas_policy& p) {
  if (p.role != uas_role::proxy) return std::nullopt;  // an endpoint processes it normally
  const header_field* f = m.find(header_id::max_forwards);
  if (f == nullptr) return std::nullopt;  // §16.3 step 3: no Max-Forwards passes
  const auto mf = parse_max_forwards(f->value);
  if (!mf) return respond(400, f->name, "RFC 3261 §20.22: malformed Max-Forwards");
  if (*mf == 0) return respond(483, f->name, "RFC 3261 §16.3 step 3: Max-Forwards is 0");
  return std::nullopt;
}

step_result check_option_tags(const message& m, const uas_policy& p) {
  header_id id = header_id::proxy_require;  // §16.3 step 5
  if (p.role != uas_role::proxy) {
    // §8.2.2.3: Require is ignored in CANCEL and ACK.
    if (m.method() == method::cancel || m.method() == method::ack) return std::nullopt;
    id = header_id::require;
  }
  uas_verdict v = respond(420, {},
                          p.role == uas_role::proxy
                              ? "RFC 3261 §16.3 step 5: Proxy-Require lists unsupported option tags"
                              : "RFC 3261 §8.2.2.3: Require lists unsupported option tags");
  for (const header_field& f : m.headers()) {
    if (f.id != id) continue;
    const auto tags = parse_option_tags(f.value);
    if (!tags) return respond(400, f.name, "RFC 3261 §20.32: malformed option-tag list");
    for (std::string_view tag : *tags) {
      if (contains(p.supported_option_tags, tag, false)) continue;
      const bool listed = std::any_of(v.unsupported.begin(), v.unsupported.end(),
                                      [&](std::string_view t) { return iequals(t, tag); });
      if (!listed) v.unsupported.push_back(tag);
      if (v.header.empty()) v.header = f.name;
    }
  }
  if (v.unsupported.empty()) return std::nullopt;
  return v;
}

// §10.3 step 6: "Contact: *" removes every binding; it must stand alone
// and come with Expires: 0.
step_result check_register_star(const message& m) {
  std::size_t contacts = 0;
  const header_field* star = nullptr;
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::contact) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      const auto c = parse_contact(*it);
      if (!c) return respond(400, f.name, "RFC 3261 §20.10: malformed Contact");
      ++contacts;
      if (c->star) star = &f;
    }
  }
  if (star == nullptr) return std::nullopt;
  const header_field* expires = m.find(header_id::expires);
  const auto seconds =
      expires ? parse_delta_seconds(expires->value) : parse_result<std::uint32_t>{1u};
  if (contacts == 1 && seconds && *seconds == 0) return std::nullopt;
  return respond(400, star->name,
                 "RFC 3261 §10.3 step 6: Contact \"*\" must stand alone with Expires: 0");
}

step_result check_register(const message& m, const uas_policy& p) {
  if (p.role != uas_role::registrar || m.method() != method::register_) return std::nullopt;
  const auto to = m.to();
  if (!to) return respond(400, to.error().header, "RFC 3261 §20.39: malformed To");
  const std::string_view scheme = scheme_of(to->uri);
  if (!iequals(scheme, "sip") && !iequals(scheme, "sips"))
    return respond(400, nth_name(m, header_id::to, 0),
                   "RFC 3261 §10.2, §10.3: the address-of-record in To must be a SIP or SIPS URI");
  return check_register_star(m);
}

}  // namespace

uas_verdict uas_check(const message& request, const uas_policy& policy) {
  if (request.is_response()) return uac_check(request, policy);
  if (is_bad_version(request))
    return respond(505, {}, "RFC 3261 §21.5.6: the SIP-Version is not SIP/2.0");
  if (const auto fault = check_mandatory(request, true)) {
    return respond(400, fault->header,
                   fault->missing
                       ? "RFC 3261 §8.1.1: a mandatory header field is missing"
                       : "RFC 3261 §20: a single-value header field appears more than once");
  }
  using step = step_result (*)(const message&, const uas_policy&);
  // §8.2 order for a UAS (method, then header inspection, then content);
  // a proxy's §16.3 order (URI scheme, Max-Forwards, Proxy-Require) is the
  // same once the steps that do not apply to it are skipped.
  constexpr std::array<step, 8> steps{check_method,          check_cseq_method,   check_uri_scheme,
                                      check_max_forwards,    check_option_tags,   check_register,
                                      detail::check_content, detail::check_accept};
  for (step s : steps)
    if (step_result r = s(request, policy)) return std::move(*r);
  return {};
}

uas_verdict uac_check(const message& response, const uas_policy& policy) {
  if (response.is_request()) return uas_check(response, policy);
  if (is_bad_version(response)) return drop({}, "RFC 3261 §7.1: the SIP-Version is not SIP/2.0");
  if (const auto fault = check_mandatory(response, false)) {
    return drop(fault->header,
                fault->missing
                    ? "RFC 3261 §8.1.1: a mandatory header field is missing"
                    : "RFC 3261 §20: a single-value header field appears more than once");
  }
  std::size_t vias = 0;
  for (const header_field& f : response.headers()) {
    if (f.id != header_id::via) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      const auto v = parse_via(*it);
      if (!v) return drop(f.name, "RFC 3261 §20.42: malformed Via");
      // RFC 4475 §3.3.10 (bcast): never send a response to the broadcast
      // address; endpoints and proxies drop it.
      if (v->host == "255.255.255.255")
        return drop(f.name, "RFC 4475 §3.3.10: a Via sent-by is the broadcast address");
      ++vias;
    }
  }
  if (policy.role != uas_role::proxy && vias > 1)
    return drop(nth_name(response, header_id::via, 0),
                "RFC 3261 §8.1.3.3: a response to a UAC has more than one Via");
  if (const auto c = response.cseq(); !c)
    return drop(c.error().header, "RFC 3261 §20.16: malformed CSeq");
  return {};
}

uas_verdict receive_check(const message& m, const uas_policy& policy) {
  return m.is_request() ? uas_check(m, policy) : uac_check(m, policy);
}

}  // namespace sipua
