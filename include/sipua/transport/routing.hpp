// The transport layer's routing rules (RFC 3261 §18, RFC 3581), as pure
// functions: no socket, no Asio, no name resolution. The layer above (the
// transaction layer, a proxy core) calls them with what it knows:
//
//   sending a request   choose_transport(), top_via_value()     §18.1.1
//   receiving one       via_additions_for(), top_via_for_response() §18.2.1, RFC 3581 §4
//   sending a response  response_destination()                  §18.2.2, RFC 3581 §4
//
// Threading: plain functions of their arguments; call them from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "sipua/message/parse_result.hpp"
#include "sipua/message/via.hpp"
#include "sipua/result.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"

namespace sipua {

// ---- sending a request (RFC 3261 §18.1.1) ------------------------------

/// A request over UDP larger than this goes over a congestion-controlled
/// transport (RFC 3261 §18.1.1: "larger than 1300 bytes and the path MTU
/// is unknown").
inline constexpr std::size_t udp_request_size_limit = 1300;
/// ... as does one within this many bytes of the path MTU (§18.1.1: room
/// for Record-Route values the response may gain).
inline constexpr std::size_t path_mtu_margin = 200;

/// What to do with a UDP request too large for UDP.
enum class udp_size_policy : std::uint8_t {
  switch_to_tcp,  ///< RFC 3261 §18.1.1 (the default)
  stay_on_udp,    ///< the caller must stay on UDP (no TCP to that target, a test ...)
};

/// The transport to send a request of `message_size` bytes over, when the
/// Request-URI, a Route or configuration asked for `wanted` (RFC 3261
/// §18.1.1):
/// - UDP stays UDP while message_size <= 1300 and message_size <=
///   path_mtu - 200 (all of them when path_mtu <= 200); past either bound
///   it becomes TCP, unless `policy` is stay_on_udp. A known path MTU
///   above 1500 does not raise the 1300-byte bound (the rule stays
///   conservative); a smaller one lowers it (a 1280-byte IPv6 minimum MTU
///   moves every request over 1080 bytes).
/// - TCP, TLS (sips, RFC 3261 §26.2.1), WS and WSS are returned as they are.
/// When the result differs from `wanted`, the top Via must name it
/// (§18.1.1: "the value in the top Via MUST be changed"): write the Via
/// after calling this. If the TCP connection then fails, RFC 3261 §18.1.1
/// lets the caller retry over UDP with the Via changed back; that choice
/// is the caller's (pass stay_on_udp).
transport_protocol choose_transport(
    transport_protocol wanted, std::size_t message_size, std::size_t path_mtu = 1500,
    udp_size_policy policy = udp_size_policy::switch_to_tcp) noexcept;

/// Replaces the transport token of the top Via (the first via-parm of the
/// first Via field, a compact "v:" too, wherever folded LWS put it) of the
/// message in `bytes` with `token` (e.g. via_token(transport_protocol::tcp)
/// when choose_transport() switched, §18.1.1) and returns the token it
/// replaced, as written. The lengths may differ. Errors: the parse category
/// when the message or its top Via does not parse (`bytes` unchanged).
result<std::string, std::error_code> replace_top_via_transport(std::string& bytes,
                                                               std::string_view token);

/// The top Via value of an outgoing request (RFC 3261 §18.1.1, §20.42, RFC
/// 3581 §3): "SIP/2.0/<TOKEN> <sent-by>;branch=<branch>[;rport]", written
/// by the message builder (append_via_parm, builder.hpp), so the text is
/// the one message_builder::via() would write. Pass it to
/// message_builder::header(header_id::via, ...).
///
/// This overload writes sent-by from the local address the request leaves
/// from: "192.0.2.1:5060", "[2001:db8::1]:5060" (IPv6 in brackets, RFC
/// 5952 form). Errors (parse_error, header "Via", status 0):
/// bad_header_value (offset 0) when `local` is a wildcard (0.0.0.0, ::) or
/// has port 0: nobody can send a response there, so give the bound address
/// (transport::local_addresses()) or advertise a name; bad_param when
/// `branch` is not a token (offset into it).
parse_result<std::string> top_via_value(transport_protocol protocol, const socket_address& local,
                                        std::string_view branch, bool rport);

/// The same with an advertised sent-by: `host` is a domain name, an IPv4
/// address or an IPv6 address with or without brackets (brackets are added
/// when missing); the port is written when given. Errors: bad_header_value
/// (offset 0) when host is none of those; bad_param as above.
parse_result<std::string> top_via_value(transport_protocol protocol, std::string_view host,
                                        std::optional<std::uint16_t> port, std::string_view branch,
                                        bool rport);

// ---- receiving a request (RFC 3261 §18.2.1, RFC 3581 §4) ---------------

/// The parameters a server adds to the top Via of a request it received.
struct via_additions {
  /// The source IP address to write as received=: dotted quad, or IPv6
  /// in the RFC 5952 form WITHOUT brackets (RFC 3261 §25.1 via-received =
  /// IPv6address; RFC 5118 §4.5: "must not put the delimiting [ and ]").
  /// Empty when none is needed.
  std::string received;
  /// The source port to write as rport's value (RFC 3581 §4), when the
  /// request carried an rport without one.
  std::optional<std::uint16_t> rport;

  [[nodiscard]] bool empty() const noexcept { return received.empty() && !rport; }
};

/// What the server adds to the request's top Via `top`, which arrived from
/// `origin.peer`:
/// - received = origin.peer's address when the sent-by host is a domain
///   name or an IP address other than the source's (RFC 3261 §18.2.1;
///   addresses are compared as addresses, so "[2001:DB8::1]" equals
///   2001:db8::1), and always when the Via has an rport parameter, with or
///   without a value (RFC 3581 §4: "even if it is identical");
/// - rport = origin.peer's port when the Via has an rport parameter
///   without a value (RFC 3581 §4). An rport that already has a value is
///   left as it is.
/// Independent of the transport (RFC 3581 §4). Never fails.
via_additions via_additions_for(const via& top, const transport_origin& origin);

/// The request's first Via field value `top_via_value` (one or more
/// comma-separated via-parms, as message::value(header_id::via) returns
/// it), rewritten for the response's first Via (RFC 3261 §8.2.6.2 copies
/// the Vias; §18.2.1 and RFC 3581 §4 add to the first via-parm):
/// - rport without a value gets "=<port>" in place;
/// - ";received=<address>" goes right before the rport parameter when
///   there is one (as in the RFC 3581 §6 example), else after the last
///   parameter (as in RFC 3261 §24.2); a received parameter already there
///   has its value replaced instead.
/// Everything else (other via-parms, parameter order, case, LWS) is kept
/// byte for byte. Returns the value unchanged when nothing is to be added.
/// Error: the first via-parm does not parse (parse_via's error, offset into
/// `top_via_value`).
parse_result<std::string> top_via_for_response(std::string_view top_via_value,
                                               const transport_origin& origin);

// ---- sending a response (RFC 3261 §18.2.2, RFC 3581 §4) ----------------

/// Where a response goes. Name resolution is the caller's: when `address`
/// is empty, resolve `host` with RFC 3263 §5 (SRV when !port_explicit,
/// else A/AAAA at `port`) and, for a reliable protocol, open a connection.
struct response_target {
  transport_protocol protocol = transport_protocol::udp;
  /// Send on the connection the request arrived on (to origin.peer, which
  /// `address` holds) rather than opening one (RFC 3261 §18.2.2).
  bool use_existing_connection = false;
  /// The numeric destination (address and port), when known.
  std::optional<socket_address> address;
  /// The destination when it is a domain name (empty when `address` is set).
  std::string host;
  std::uint16_t port = 0;      ///< the destination port (also in `address`)
  bool port_explicit = false;  ///< the port came from the message or the source, not a default
  /// RFC 3581 §4: send from the local address and port the request arrived
  /// on (set for the received + rport case).
  std::optional<socket_address> source;
  /// The TTL for a multicast maddr (the Via's ttl, else 1; RFC 3261 §18.2.2).
  std::optional<std::uint8_t> multicast_ttl;
};

/// Where to send the response to a request whose top Via is `top` (the
/// request's, as received, or as rewritten by top_via_for_response()) and
/// that arrived as `origin`. The received address and the rport are those
/// written in `top` when they have values, else those via_additions_for()
/// computes from `origin`. In order (RFC 3261
/// §18.2.2 with RFC 3581 §4's step between its second and third bullets):
/// 1. reliable protocol (origin.protocol: TCP, TLS, WS, WSS) and
///    `connection_still_open`: the existing connection to origin.peer;
/// 2. reliable and closed: the received address (when the server added one)
///    with the sent-by port, else the sent-by host and port, the port
///    defaulting to default_port(protocol);
/// 3. unreliable with maddr: the maddr host with the sent-by port (default
///    5060), and multicast_ttl (ttl, else 1) when maddr is a multicast IP;
/// 4. unreliable, rport present: origin.peer (the received address and the
///    rport), from origin.local;
/// 5. unreliable, received added: that address with the sent-by port
///    (default 5060);
/// 6. else the sent-by host and port (default 5060).
/// The protocol is origin.protocol (the one the request came over; the
/// Via's transport token names the same). Never fails. What to do when the
/// send fails is the caller's: §18.2.2 falls back to RFC 3263 §5 on the
/// sent-by (top.host, top.port) when a connection to the received address
/// cannot be opened or a datagram to it draws an ICMP error.
response_target response_destination(const via& top, const transport_origin& origin,
                                     bool connection_still_open);

}  // namespace sipua
