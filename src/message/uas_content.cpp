// The body checks of uas_check: RFC 3261 §8.2.3 (content processing, 415),
// §7.4.1 (Content-Type required with a body), §20.1 and §21.4.7 (Accept,
// 406). A proxy forwards bodies untouched, so none of this applies to it.
#include "uas_steps.hpp"

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/token_list.hpp"

namespace sipua::detail {
namespace {

/// Whether "type/subtype" (a policy entry) names the media type t/s.
bool same_type(std::string_view entry, std::string_view t, std::string_view s) noexcept {
  const std::size_t slash = entry.find('/');
  if (slash == std::string_view::npos) return false;
  return iequals(entry.substr(0, slash), t) && iequals(entry.substr(slash + 1), s);
}

bool type_accepted(const std::vector<std::string>& entries, std::string_view t,
                   std::string_view s) {
  for (const std::string& e : entries)
    if (same_type(e, t, s)) return true;
  return false;
}

// Content-Disposition = disp-type *( SEMI disp-param ), handling-param =
// "handling" EQUAL ( "optional" / "required" / other-handling ) (§20.11).
// An optional body that is not understood may be ignored (§8.2.3).
bool body_optional(const message& m) noexcept {
  const header_field* f = m.find(header_id::content_disposition);
  if (f == nullptr) return false;
  const std::string_view v = f->value;
  const std::size_t type_end = scan(v, 0, cc_token);
  const std::size_t params_begin = skip_lws(v, type_end);
  if (type_end == 0 || params_begin == v.size() || v[params_begin] != ';') return false;
  const std::size_t params_end = scan_generic_params(v, params_begin);
  if (params_end != v.size()) return false;  // malformed: not optional
  const auto handling = param_list{v.substr(params_begin)}.find("handling");
  return handling && iequals(handling->unquoted(), "optional");
}

}  // namespace

step_result check_content(const message& m, const uas_policy& p) {
  if (p.role == uas_role::proxy || m.body().empty()) return std::nullopt;
  const header_field* ct = m.find(header_id::content_type);
  if (ct == nullptr)
    return respond(400, header_name(header_id::content_type),
                   "RFC 3261 §7.4.1: a non-empty body needs a Content-Type");
  if (body_optional(m)) return std::nullopt;
  const auto type = parse_media_type(ct->value);
  if (!type) return respond(400, ct->name, "RFC 3261 §20.15: malformed Content-Type");
  if (!type_accepted(p.accepted_body_types, type->type, type->subtype))
    return respond(415, ct->name, "RFC 3261 §8.2.3: the body's Content-Type is not understood");
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::content_encoding) continue;
    const auto codings = parse_option_tags(f.value);
    if (!codings) return respond(400, f.name, "RFC 3261 §20.12: malformed Content-Encoding");
    for (std::string_view c : *codings) {
      // "identity" is no encoding at all (RFC 2616 §3.5).
      if (!iequals(c, "identity") && !contains(p.accepted_encodings, c, false))
        return respond(415, f.name,
                       "RFC 3261 §8.2.3: the body's Content-Encoding is not understood");
    }
  }
  return std::nullopt;
}

step_result check_accept(const message& m, const uas_policy& p) {
  if (p.role == uas_role::proxy || p.response_body_types.empty()) return std::nullopt;
  // The response to an INVITE carries the offer or the answer (RFC 3264
  // §4); that to an UPDATE or PRACK does when the request carried an offer.
  const bool answers_with_body =
      m.method() == method::invite ||
      ((m.method() == method::update || m.method() == method::prack) && !m.body().empty());
  if (!answers_with_body) return std::nullopt;
  const header_field* first = m.find(header_id::accept);
  if (first == nullptr) {
    // §20.1: no Accept means application/sdp.
    for (const std::string& t : p.response_body_types)
      if (same_type(t, "application", "sdp")) return std::nullopt;
    return respond(406, header_name(header_id::accept),
                   "RFC 3261 §20.1, §21.4.7: no Accept means application/sdp, which this element "
                   "does not send");
  }
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::accept) continue;
    const auto ranges = parse_accept(f.value);
    if (!ranges) return respond(400, f.name, "RFC 3261 §20.1: malformed Accept");
    for (const media_range& r : *ranges) {
      if (r.q && *r.q == 0) continue;  // q=0: "not acceptable" (RFC 2616 §3.9)
      for (const std::string& t : p.response_body_types) {
        const std::size_t slash = t.find('/');
        if (slash != std::string::npos &&
            r.matches(std::string_view{t}.substr(0, slash), std::string_view{t}.substr(slash + 1)))
          return std::nullopt;
      }
    }
  }
  return respond(
      406, first->name,
      "RFC 3261 §21.4.7: Accept admits none of the body types of the response (RFC 4475 §3.3.15)");
}

}  // namespace sipua::detail
