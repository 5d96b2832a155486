// The transports an endpoint sends through, and the RFC 3261 §18 rules that
// pick one: the layer above (the transaction layer) hands a request or a
// response here instead of to one transport.
//
//   sending a request   send_request():  §18.1.1 (UDP -> TCP for large
//                       requests, the top Via rewritten), sips -> TLS
//   sending a response  send_response(): §18.2.2 with RFC 3581 §4
//                       (response_destination() in routing.hpp)
//
// A transport_set does not own its transports and does not start or close
// them: each registered transport must outlive the set (or be removed
// first). It holds at most ONE transport per protocol; that transport covers
// every address family it listens on (udp_transport and tcp_transport take
// IPv4 and IPv6 listen addresses in one instance, and report
// no_socket_for_family for the rest).
//
// Threading: like the transports it holds, used from the thread of their
// io_context only.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "sipua/message/via.hpp"
#include "sipua/result.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/routing.hpp"
#include "sipua/transport/transport.hpp"

namespace sipua {

/// What send_response() did: where it sent (or would have sent) the
/// response, and the error, if any.
struct response_send_result {
  /// response_destination()'s answer. On name_resolution_required it names
  /// the host to resolve (RFC 3263 §5) and the port.
  response_target target;
  std::error_code error;

  explicit operator bool() const noexcept { return !error; }
};

class transport_set {
 public:
  transport_set() = default;
  transport_set(const transport_set&) = delete;
  transport_set& operator=(const transport_set&) = delete;

  /// Registers `t` for t.protocol(). Registering the same transport again
  /// does nothing. Error: transport_errc::protocol_taken when another
  /// transport holds that protocol (remove() it first); nothing changes.
  std::error_code add(transport& t);
  /// Forgets the transport of `p`, if any (it is not closed).
  void remove(transport_protocol p) noexcept;
  /// The transport of `p`, or nullptr.
  [[nodiscard]] transport* find(transport_protocol p) const noexcept;

  /// Sends the request `request_bytes` (one whole message, as built) to
  /// `target` over the transport RFC 3261 §18.1.1 picks for `wanted` (the
  /// protocol the Request-URI, Route or configuration asked for):
  /// - wanted UDP: choose_transport(udp, size, path_mtu). When that gives
  ///   TCP (over 1300 bytes, or within 200 bytes of `path_mtu`) and a TCP
  ///   transport is registered, the top Via's transport token is rewritten
  ///   in place to "TCP" (§18.1.1: "the value in the top Via MUST be
  ///   changed") and the request goes over TCP. Only the token changes:
  ///   the sent-by stays as written, so a TCP transport should listen on
  ///   the sent-by port for responses over a new connection (§18.2.2).
  ///   Without a TCP transport the request stays on UDP, unchanged (the
  ///   UDP transport may still refuse it with message_too_large).
  /// - any other protocol (TCP, TLS for sips (§26.2.1), WS, WSS) is used as
  ///   it is, never downgraded.
  /// The transport gets `target` whole (TLS sends server_name as SNI).
  ///
  /// Returns the protocol the request went over. Errors:
  /// - transport_errc::no_transport_for_protocol: nothing registered for
  ///   the protocol to use (e.g. sips with no TLS transport);
  /// - when switching to TCP, the parse error (parse category) of a request
  ///   whose top Via cannot be found (missing_header, bad_header_value ...);
  /// - whatever the transport's send() returns at once (closed,
  ///   too_many_connections, send_queue_full, ...).
  /// On any error `request_bytes` is as it was given (a rewritten Via is
  /// written back), so the caller may retry over UDP (§18.1.1 allows it
  /// when the TCP attempt fails). On success it holds the bytes as sent.
  /// Errors found later arrive as transport_user::on_transport_error.
  result<transport_protocol, std::error_code> send_request(std::string& request_bytes,
                                                           transport_protocol wanted,
                                                           const send_target& target,
                                                           std::size_t path_mtu = 1500);

  /// Sends the response `response_bytes` to the request that arrived as
  /// `origin` and whose top Via is `top` (the request's first via-parm as
  /// received, or as rewritten by top_via_for_response(); its views must be
  /// valid during the call): over the transport of origin.protocol, to
  /// response_destination(top, origin, transport.has_connection(origin.peer))
  /// (RFC 3261 §18.2.2, RFC 3581 §4). For TCP (TLS ...) with the request's
  /// connection still open that is the same connection; once it closed, a
  /// new connection to the received address and the sent-by port.
  ///
  /// Not done here (documented limits):
  /// - a destination that is a host name (a sent-by or maddr name without
  ///   received) is not resolved: the result carries the target and
  ///   transport_errc::name_resolution_required; resolve it (RFC 3263 §5)
  ///   and send yourself;
  /// - target.source (RFC 3581 §4: send from the address and port the
  ///   request arrived on) is left to the transport, which sends from its
  ///   socket of the destination's family: the right one when it has one
  ///   socket per family, as the transports here do;
  /// - target.multicast_ttl is not applied (no multicast support).
  /// Errors: transport_errc::no_transport_for_protocol,
  /// name_resolution_required, and what the transport's send() returns.
  response_send_result send_response(std::string_view response_bytes,
                                     const transport_origin& origin, const via& top);

 private:
  static constexpr std::size_t k_protocols = 5;  // transport_protocol udp .. wss
  std::array<transport*, k_protocols> by_protocol_{};
};

}  // namespace sipua
