// Message trace: a hook that sees every SIP message a runtime receives and
// sends, with the transport and the addresses, as the bytes on the wire.
// For debugging, sip traces in examples and tools, and tests. Nothing is
// traced unless the application installs a hook
// (transaction_runtime::set_trace()).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sipua/transport/address.hpp"

namespace sipua {

/// One message that crossed a transport. The views are valid during the
/// hook's call only: copy what you keep.
struct trace_event {
  enum class direction : std::uint8_t { received, sent };

  direction dir = direction::received;
  transport_protocol protocol = transport_protocol::udp;
  /// Received: the local address it arrived on (as bound; may be a
  /// wildcard). Sent: the local address the runtime believes it left from
  /// (see transaction_runtime::set_trace() for how it is chosen).
  socket_address local;
  /// Received: the source. Sent: the destination.
  socket_address peer;
  /// The whole message as on the wire (or as handed to the transport).
  std::string_view bytes;
  /// Sent: a retransmission by a transaction timer (RFC 3261 §17.1.1.2,
  /// §17.2.1 ...). Received: always false (a runtime cannot tell).
  bool retransmission = false;
};

/// Called synchronously, on the runtime's thread, for each message. It must
/// not throw and must not call back into the runtime that traces.
using trace_hook = std::function<void(const trace_event&)>;

/// A readable block: one header line, then the message as it is, e.g.
///   "recv 412 bytes from 192.0.2.2:5060 over UDP at 192.0.2.1:5060\n<message>"
///   "send 398 bytes to 192.0.2.2:5060 over TCP from 192.0.2.1:5060\n<message>"
/// A retransmission's header line ends in " (retransmission)". The
/// message bytes follow unchanged (SIP lines end in CRLF); a message that
/// does not end in a line break gets a '\n'.
[[nodiscard]] std::string format_trace(const trace_event& e);

}  // namespace sipua
