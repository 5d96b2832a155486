// The routing rules of RFC 3261 §18 and RFC 3581: which transport carries a
// request, what its top Via says, what a server adds to a received Via and
// where a response goes. Pure: no socket, no resolver.
#include "sipua/transport/routing.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "sipua/message/builder.hpp"
#include "sipua/message/host.hpp"
#include "sipua/message/params.hpp"

namespace sipua {
namespace {

parse_error via_error(parse_errc code, std::size_t offset) noexcept {
  return parse_error{code, offset, "Via", 0};
}

/// RFC 3261 §18.2.2 "If the address is a multicast address": IPv4
/// 224.0.0.0/4, IPv6 ff00::/8.
bool is_multicast(const ip_address& a) noexcept {
  const auto& b = a.bytes();
  return a.is_v4() ? (b[0] & 0xF0U) == 0xE0U : b[0] == 0xFFU;
}

/// True when `host` (a sent-by host, IPv6 bracketed) is an IP literal equal
/// to `source`. A domain name never is (§18.2.1 adds received for it).
bool same_address(std::string_view host, const ip_address& source) noexcept {
  const auto parsed = ip_address::parse(host);
  return parsed && *parsed == source;
}

/// Fills the destination of `t` from a host as written (a name, an IPv4
/// literal or a bracketed IPv6 reference) and a port.
void set_destination(response_target& t, std::string_view host, std::uint16_t port,
                     bool port_explicit) {
  t.port = port;
  t.port_explicit = port_explicit;
  if (const auto ip = ip_address::parse(host)) {
    t.address = socket_address{*ip, port};
  } else {
    t.host = std::string(host);
  }
}

parse_result<std::string> write_via(transport_protocol protocol, std::string_view sent_by,
                                    std::string_view branch, bool rport) {
  std::string out;
  const via_spec spec{.transport = via_token(protocol),
                      .sent_by = sent_by,
                      .branch = branch,
                      .rport = rport,
                      .params = {}};
  if (parse_error e = append_via_parm(out, spec)) return unexpected{e};
  return out;
}

/// One edit of the Via text: replace [pos, pos + erase) by `text`.
struct edit {
  std::size_t pos = 0;
  std::size_t erase = 0;
  std::string text;
};

/// Offset of `part`, a view into `whole`.
std::size_t offset_in(std::string_view whole, std::string_view part) noexcept {
  return static_cast<std::size_t>(part.data() - whole.data());
}

/// Offset of the ';' that opens the parameter whose name starts at
/// `name_pos` (LWS may sit between them, RFC 3261 §25.1 SEMI).
std::size_t semicolon_before(std::string_view text, std::size_t name_pos) noexcept {
  const std::size_t i = text.rfind(';', name_pos);
  return i == std::string_view::npos ? name_pos : i;
}

/// Offset just past the last character of the via-parm that is not LWS.
std::size_t content_end(std::string_view first) noexcept {
  const std::size_t i = first.find_last_not_of(" \t\r\n");
  return i == std::string_view::npos ? 0 : i + 1;
}

/// received as written (a Via already rewritten), else the one §18.2.1 /
/// RFC 3581 §4 make the server add; nullopt when there is none.
std::optional<ip_address> effective_received(const via& top, const transport_origin& origin) {
  if (!top.received.empty()) {
    if (auto r = ip_address::parse(top.received)) return *r;
    return std::nullopt;
  }
  if (!via_additions_for(top, origin).received.empty()) return origin.peer.address();
  return std::nullopt;
}

}  // namespace

transport_protocol choose_transport(transport_protocol wanted, std::size_t message_size,
                                    std::size_t path_mtu, udp_size_policy policy) noexcept {
  // RFC 3261 §18.1.1: only UDP is switched; TCP, TLS (sips) and WebSocket
  // already are congestion controlled.
  if (wanted != transport_protocol::udp || policy == udp_size_policy::stay_on_udp) return wanted;
  // "within 200 bytes of the path MTU, or ... larger than 1300 bytes":
  // size > MTU - 200 (an MTU of 200 or less leaves no room at all).
  const bool near_mtu = path_mtu <= path_mtu_margin || message_size > path_mtu - path_mtu_margin;
  const bool too_large = message_size > udp_request_size_limit || near_mtu;
  return too_large ? transport_protocol::tcp : transport_protocol::udp;
}

parse_result<std::string> top_via_value(transport_protocol protocol, const socket_address& local,
                                        std::string_view branch, bool rport) {
  // RFC 3261 §18.1.1: sent-by is where responses come back to; a wildcard
  // address or port 0 names nobody.
  if (local.address().is_unspecified() || local.port() == 0)
    return unexpected{via_error(parse_errc::bad_header_value, 0)};
  // socket_address::to_string(): "a.b.c.d:port" or "[v6]:port" (§25.1
  // sent-by = host [ COLON port ], host's IPv6reference in brackets).
  return write_via(protocol, local.to_string(), branch, rport);
}

parse_result<std::string> top_via_value(transport_protocol protocol, std::string_view host,
                                        std::optional<std::uint16_t> port, std::string_view branch,
                                        bool rport) {
  std::string sent_by;
  // RFC 5118 §4.2 / RFC 3261 §25.1: an IPv6 sent-by is an IPv6reference.
  if (is_ipv6_address(host)) {
    sent_by.append("[").append(host).append("]");
  } else {
    sent_by.append(host);
  }
  if (!classify_host(sent_by)) return unexpected{via_error(parse_errc::bad_header_value, 0)};
  if (port) sent_by.append(":").append(std::to_string(*port));
  return write_via(protocol, sent_by, branch, rport);
}

via_additions via_additions_for(const via& top, const transport_origin& origin) {
  via_additions a;
  const ip_address& source = origin.peer.address();
  // RFC 3261 §18.2.1: a domain name, or an address other than the source;
  // RFC 3581 §4: always when rport is present.
  if (top.has_rport || !same_address(top.host, source)) {
    // RFC 5118 §4.5 / §25.1 via-received: IPv6address, no brackets.
    a.received = source.to_string();
  }
  // RFC 3581 §4: "an rport parameter with no value ... MUST set the value
  // of the parameter to the source port of the request".
  if (top.has_rport && !top.rport) a.rport = origin.peer.port();
  return a;
}

parse_result<std::string> top_via_for_response(std::string_view top_via_value,
                                               const transport_origin& origin) {
  // The first via-parm of the field (§7.3.1 comma-separated values).
  std::size_t end = detail::find_list_comma(top_via_value, 0);
  if (end == std::string_view::npos) end = top_via_value.size();
  const std::string_view first = top_via_value.substr(0, end);
  auto parsed = parse_via(first);
  if (!parsed) return unexpected{parsed.error()};
  const via_additions add = via_additions_for(*parsed, origin);
  if (add.empty()) return std::string(top_via_value);

  std::array<edit, 2> edits{};
  std::size_t n = 0;
  const auto rport = parsed->params.find("rport");
  const auto received = parsed->params.find("received");
  if (add.rport) {
    const std::size_t pos = offset_in(top_via_value, rport->name) + rport->name.size();
    edits[n++] = edit{pos, 0, "=" + std::to_string(*add.rport)};
  }
  if (!add.received.empty()) {
    if (received) {
      // Replace a received already there (a client should not send one).
      edits[n++] =
          edit{offset_in(top_via_value, received->value), received->value.size(), add.received};
    } else {
      // RFC 3581 §6 puts it before rport; RFC 3261 §24.2 at the end.
      const std::size_t pos =
          rport ? semicolon_before(top_via_value, offset_in(top_via_value, rport->name))
                : content_end(first);
      edits[n++] = edit{pos, 0, ";received=" + add.received};
    }
  }
  // Apply from the back so earlier offsets stay valid.
  std::sort(edits.begin(), edits.begin() + static_cast<std::ptrdiff_t>(n),
            [](const edit& a, const edit& b) { return a.pos > b.pos; });
  std::string out(top_via_value);
  for (std::size_t i = 0; i < n; ++i) out.replace(edits[i].pos, edits[i].erase, edits[i].text);
  return out;
}

response_target response_destination(const via& top, const transport_origin& origin,
                                     bool connection_still_open) {
  response_target t;
  t.protocol = origin.protocol;
  const bool reliable = is_reliable(origin.protocol);
  // RFC 3261 §18.2.2, first bullet: the connection the request came on.
  if (reliable && connection_still_open) {
    t.use_existing_connection = true;
    t.address = origin.peer;
    t.port = origin.peer.port();
    t.port_explicit = true;
    return t;
  }
  const std::uint16_t fallback_port = default_port(origin.protocol);
  const std::uint16_t sent_by_port = top.port.value_or(fallback_port);
  const std::optional<ip_address> received = effective_received(top, origin);
  const auto to_received = [&](std::uint16_t port, bool port_explicit) {
    t.address = socket_address{*received, port};
    t.port = port;
    t.port_explicit = port_explicit;
  };
  if (reliable) {
    // §18.2.2: "open a connection to the IP address in the received
    // parameter, if present, using the port in the sent-by value, or the
    // default port for that transport"; else §18.2.2's fourth bullet.
    if (received) {
      to_received(sent_by_port, top.port.has_value());
    } else {
      set_destination(t, top.host, sent_by_port, top.port.has_value());
    }
    return t;
  }
  // §18.2.2, second bullet: maddr with the sent-by port (5060 by default),
  // the TTL for a multicast address (ttl, else 1).
  if (!top.maddr.empty()) {
    set_destination(t, top.maddr, sent_by_port, top.port.has_value());
    if (t.address && is_multicast(t.address->address())) t.multicast_ttl = top.ttl.value_or(1);
    return t;
  }
  // RFC 3581 §4: received and rport: that address and port, sent from the
  // address and port the request arrived on.
  if (top.has_rport && received) {
    to_received(top.rport.value_or(origin.peer.port()), true);
    t.source = origin.local;
    return t;
  }
  // §18.2.2, third bullet: received with the sent-by port.
  if (received) {
    to_received(sent_by_port, top.port.has_value());
    return t;
  }
  // §18.2.2, fourth bullet: sent-by (RFC 3263 §5 for a name).
  set_destination(t, top.host, sent_by_port, top.port.has_value());
  return t;
}

result<std::string, std::error_code> replace_top_via_transport(std::string& bytes,
                                                               std::string_view token) {
  message m;
  if (const parse_error e = parse_datagram(bytes, m)) return unexpected{e.error_code()};
  auto top = m.top_via();
  if (!top) return unexpected{top.error().error_code()};
  const std::size_t at = m.offset_of(top->transport.data());
  std::string old(top->transport);
  bytes.replace(at, old.size(), token);
  return old;
}

}  // namespace sipua
