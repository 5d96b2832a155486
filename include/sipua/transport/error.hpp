// Errors of the transport layer: a std::error_code enum in the category
// "sipua.transport". System errors (connection refused, network unreachable
// ...) are reported as they come from the OS, in std::system_category();
// these codes cover what the transport itself decides.
#pragma once

#include <system_error>

namespace sipua {

/// Values are stable.
enum class transport_errc {
  ok = 0,
  bad_address = 1,            ///< not an IPv4 literal or a bracketed/bare IPv6 literal
  bad_port = 2,               ///< port missing, not digits, or over 65535
  no_socket_for_family = 3,   ///< send to IPv6 with no IPv6 socket (or v4 / v4)
  message_too_large = 4,      ///< bytes over the transport's maximum datagram size
  closed = 5,                 ///< the transport was closed
  send_queue_full = 6,        ///< too many datagrams waiting for the socket to drain
  unknown_peer = 7,           ///< in-memory network: no transport at that address
  host_not_found = 8,         ///< resolver: the name has no address
  not_numeric = 9,            ///< resolver: a name given to the numeric-only resolver
  too_many_connections = 10,  ///< TCP: a new connection would pass max_connections
  bad_certificate = 11,       ///< TLS identities: the DER certificate does not parse

  // transport_set (transport_set.hpp):
  /// Another transport is registered for that protocol.
  protocol_taken = 12,
  /// No transport is registered for the protocol a message must go over.
  no_transport_for_protocol = 13,
  /// The destination is a host name: resolve it first (RFC 3263 §5).
  name_resolution_required = 14,
};

const std::error_category& transport_category() noexcept;

inline std::error_code make_error_code(transport_errc e) noexcept {
  return {static_cast<int>(e), transport_category()};
}

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::transport_errc> : std::true_type {};
