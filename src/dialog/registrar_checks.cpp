// The registrar's checks before it touches bindings: the message layer's
// syntax and §8.2 checks, then RFC 3261 §10.3 steps 1, 2, 5 and 4.
#include <algorithm>
#include <string>

#include "registrar_impl.hpp"

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/message/validate.hpp"

namespace sipua::detail {

namespace {

registrar_rejection reject(int status, std::string_view rule) {
  registrar_rejection r;
  r.status = status;
  r.rule = rule;
  return r;
}

/// §8.2 (version, mandatory fields, method, CSeq, Request-URI scheme, body)
/// and step 2 (Require -> 420), with the registrar's syntax rules of steps
/// 5 and 6 (uas_role::registrar).
std::optional<registrar_rejection> check_as_uas(const message& m, const registrar_config& c) {
  uas_policy policy;
  policy.role = uas_role::registrar;
  policy.allowed_methods = {"REGISTER"};
  policy.supported_option_tags = c.supported_option_tags;
  policy.accepted_body_types = {};  // a REGISTER body is not understood: 415
  const uas_verdict v = uas_check(m, policy);
  if (v.action == verdict_action::accept) return std::nullopt;
  registrar_rejection r = reject(v.status, v.rule);
  r.drop = v.action == verdict_action::drop;
  if (v.status == 405) r.fields.push_back({header_id::allow, "REGISTER"});
  if (v.status == 420) {
    std::string list;
    for (const std::string_view t : v.unsupported) {
      if (!list.empty()) list += ", ";
      list += t;
    }
    r.fields.push_back({header_id::unsupported, std::move(list)});
  }
  return r;
}

}  // namespace

bool served(const std::vector<std::string>& domains, std::string_view host) {
  if (domains.empty()) return true;
  return std::any_of(domains.begin(), domains.end(),
                     [host](const std::string& d) { return iequals(d, host); });
}

bool has_tag(const std::vector<std::string>& tags, std::string_view tag) {
  return std::any_of(tags.begin(), tags.end(),
                     [tag](const std::string& t) { return iequals(t, tag); });
}

std::optional<registrar_rejection> check_register(const message& m, const registrar_config& c,
                                                  std::string& aor) {
  // Every field read below parses (or the request is a 400).
  validate_options vopt;
  vopt.allow_malformed_date = true;  // RFC 4475 §3.1.2.12: the Date is not used
  if (validate_syntax(m, vopt)) return reject(400, "RFC 3261 §8.2: a header field does not parse");

  // Step 1: the Request-URI's domain; a registrar that is also a proxy may
  // forward the request instead (foreign_domain).
  if (m.method() == method::register_) {
    const auto ruri = parse_uri(m.request_uri());
    const bool sip = ruri && (ruri->scheme == uri_scheme::sip || ruri->scheme == uri_scheme::sips);
    if (sip && !served(c.domains, ruri->sip.host)) {
      registrar_rejection r = reject(404, "RFC 3261 §10.3 step 1: not a domain of this registrar");
      r.foreign_domain = true;
      return r;
    }
  }
  if (auto no = check_as_uas(m, c)) return no;

  // Step 5: the AOR from To, of one of our domains, in canonical form.
  const auto to = m.to();
  const auto u = to ? parse_uri(to->uri) : parse_uri({});
  auto canonical = to ? canonical_aor(to->uri) : canonical_aor({});
  if (!u || !canonical) return reject(400, "RFC 3261 §10.3 step 5: the To URI is not a SIP AOR");
  if (!served(c.domains, u->sip.host)) {
    return reject(404, "RFC 3261 §10.3 step 5: the AOR is not of this registrar's domains");
  }
  aor = std::move(*canonical);

  // Step 4 (and the rest of step 5): the caller authenticated the UAC
  // (step 3); may that user change this AOR's bindings?
  if (c.authorize) {
    switch (c.authorize(aor, m)) {
      case registrar_decision::allow: break;
      case registrar_decision::forbidden:
        return reject(403, "RFC 3261 §10.3 step 4: not authorized for this AOR");
      case registrar_decision::not_found: return reject(404, "RFC 3261 §10.3 step 5: no such AOR");
    }
  }
  return std::nullopt;
}

}  // namespace sipua::detail
