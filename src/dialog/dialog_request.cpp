// Requests inside a dialog (RFC 3261 §12.2.1.1): the Request-URI and Route
// fields from the route set and remote target (loose and strict routing),
// the next local CSeq, and the fields every such request starts with.
#include <string>

#include "sipua/dialog/dialog.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/name_addr.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

namespace {

/// The URI of a route set element (a name-addr): without the brackets and
/// the header parameters. An element that does not parse (not one that a
/// dialog made: they are checked) is taken as a URI as it is.
std::string_view route_uri(std::string_view element) noexcept {
  const auto a = parse_name_addr(element);
  return a ? a->uri : element;
}

/// §19.1.1: "lr" marks a loose router; a URI without it (or one that is not
/// a SIP or SIPS URI) is a strict router (RFC 2543).
bool is_loose_router(std::string_view uri_text) noexcept {
  const auto u = parse_uri(uri_text);
  return u && (u->scheme == uri_scheme::sip || u->scheme == uri_scheme::sips) && u->sip.lr();
}

/// A From or To value: [display-name] "<" URI ">" [";tag=" tag]. The
/// display name goes out as it was written (quotes and escapes kept).
std::string party_value(const dialog_party& party, std::string_view tag) {
  std::string v;
  v.reserve(party.display_name.size() + party.uri.size() + tag.size() + 8);
  if (!party.display_name.empty()) v.append(party.display_name).append(" ");
  v.append("<").append(party.uri).append(">");
  // §12.2.1.1: no tag parameter when the tag is null.
  if (!tag.empty()) v.append(";tag=").append(tag);
  return v;
}

}  // namespace

std::string as_request_uri(std::string_view uri_text) {
  const auto u = parse_uri(uri_text);
  if (!u || (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips))
    return std::string{uri_text};
  const sip_uri& s = u->sip;
  // Where the uri-parameters (or else the "?headers") start.
  std::size_t end = uri_text.size();
  if (!s.params.empty()) {
    end = static_cast<std::size_t>(s.params.raw().data() - uri_text.data());
  } else if (!s.headers.empty()) {
    end = static_cast<std::size_t>(s.headers.data() - uri_text.data()) - 1;  // the '?'
  }
  std::string out{uri_text.substr(0, end)};
  for (const param& p : s.params) {
    if (detail::iequals(p.name, "method")) continue;
    out.append(";").append(p.name);
    if (p.has_value) out.append("=").append(p.value);
  }
  return out;
}

dialog_route route_request(const dialog& d) {
  dialog_route r;
  if (d.route_set.empty()) {
    // §12.2.1.1: no route set: the remote target, no Route.
    r.request_uri = as_request_uri(d.remote_target);
    r.next_hop = r.request_uri;
    return r;
  }
  const std::string_view first = route_uri(d.route_set.front());
  if (is_loose_router(first)) {
    // §12.2.1.1: the remote target, Route = the route set; §8.1.2: the
    // request goes to the first Route.
    r.request_uri = as_request_uri(d.remote_target);
    r.routes = d.route_set;
    r.next_hop = std::string{first};
    return r;
  }
  // §12.2.1.1 strict router: Request-URI = the first route, Route = the
  // rest, then the remote target. §8.1.2: "If the first element in the
  // route set indicated a strict router ... the procedures MUST be applied
  // to the Request-URI of the request": the strict router is the next hop.
  r.request_uri = as_request_uri(first);
  r.routes.assign(d.route_set.begin() + 1, d.route_set.end());
  r.routes.push_back("<" + as_request_uri(d.remote_target) + ">");
  r.next_hop = r.request_uri;
  return r;
}

std::uint32_t next_local_cseq(dialog& d) noexcept {
  // §12.2.1.1: incremented by one; a UAS without one starts at 1.
  d.local_seq = d.local_seq ? *d.local_seq + 1 : 1;
  return *d.local_seq;
}

request_builder start_in_dialog_request(const dialog& d, std::string_view method,
                                        std::uint32_t cseq, const dialog_route& route,
                                        std::string_view via_value) {
  // §12.2.1.1: To = remote URI and tag, From = local URI and tag, the
  // dialog's Call-ID; the rest of §8.1.1 (Via, Max-Forwards) around them.
  request_builder b{method, route.request_uri};
  b.header(header_id::via, via_value)
      .max_forwards(70)
      .header(header_id::from, party_value(d.local, d.id.local_tag))
      .header(header_id::to, party_value(d.remote, d.id.remote_tag))
      .call_id(d.id.call_id)
      .cseq(cseq, method);
  for (const std::string& element : route.routes) b.header(header_id::route, element);
  return b;
}

}  // namespace sipua
