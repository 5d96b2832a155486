// The pluggable transport interface (DESIGN.md "transport"): what the layer
// above (the transaction layer, later the UA) receives from a transport and
// what it asks of it. UDP (udp.hpp) and the in-memory transport (memory.hpp)
// implement it; an embedding product can add its own.
//
// Threading: a transport and its transport_user live on one io_context (or
// whatever single thread drives the in-memory network) and are used from
// that thread only. No call is thread-safe; post onto the io_context from
// other threads.
//
// Lifetimes: the transport_user passed to start() must outlive the transport
// or the call to close(). Events are delivered from the event loop, never
// from inside send() or start(), so a user may call send() or close() from
// an event handler.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "sipua/message/error.hpp"
#include "sipua/message/message.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/tls_identity.hpp"

namespace sipua {

/// What a TLS connection negotiated and who the peer proved to be.
struct tls_session_info {
  /// The server name: on a server, the SNI the client sent (empty when
  /// none); on a client, the name the connection was opened for.
  std::string server_name;
  std::string version;  ///< "TLSv1.3", "TLSv1.2"
  std::string cipher;   ///< e.g. "TLS_AES_256_GCM_SHA384"
  /// The peer's certificate chain was verified (on a client, the name
  /// too). False on a server whose client sent no certificate.
  bool peer_verified = false;
  /// RFC 5922 §7.1 identities in the peer's certificate (empty without
  /// one): what a server's policy may authorize on (§7.4).
  certificate_identities peer_identities;
};

/// Where a message came from and over what.
struct transport_origin {
  transport_protocol protocol = transport_protocol::udp;
  socket_address local;  ///< the local address it arrived on (as bound; may be a wildcard)
  socket_address peer;   ///< the source address (RFC 3261 §18.2.1 "received", RFC 3581 rport)
  /// Over TLS: the connection's session (shared by its messages); else null.
  std::shared_ptr<const tls_session_info> tls;
};

/// A datagram (or framed stream message) that parsed.
struct inbound_message {
  transport_origin origin;
  /// Owns its bytes (message::set_owner): keep the message, or a copy, as
  /// long as any view taken from it.
  sipua::message message;
};

/// Bytes that arrived but did not parse (RFC 3261 §18.3: a request gets the
/// error's status, a response is dropped). `error.header` views `*bytes`.
struct inbound_parse_failure {
  transport_origin origin;
  std::shared_ptr<const std::string> bytes;
  parse_error error;
};

/// Something went wrong below: RFC 3261 §17.1.4 / §8.1.3.1 turn it into a
/// 503 for the transaction that sent to `peer`.
struct transport_error_event {
  transport_protocol protocol = transport_protocol::udp;
  socket_address local;
  /// The destination the error is about when the transport knows it
  /// (on Linux an ICMP port unreachable names it), else empty.
  std::optional<socket_address> peer;
  /// e.g. std::errc::connection_refused (ICMP port unreachable),
  /// host_unreachable, network_unreachable (system category); a tls_errc
  /// for a TLS failure.
  std::error_code error;
  /// More words where the transport has them (TLS: OpenSSL's reason,
  /// "certificate has expired (depth 0)"); may be empty.
  std::string detail;
};

/// A destination known by name as well as by address: the Request-URI or
/// Route host the address was resolved from (RFC 3263). A TLS transport
/// sends it as SNI (RFC 6066 §3) and checks the server's certificate against
/// it (RFC 5922 §7.3); other transports use the address only.
struct send_target {
  socket_address address;
  /// A domain name (no brackets, no port); empty when the target was
  /// numeric. Viewed, not kept: the transport copies what it keeps.
  std::string_view server_name;
};

/// The layer above. Implemented by the transaction layer (and by tests).
class transport_user {
 public:
  virtual ~transport_user() = default;
  virtual void on_message(inbound_message&& m) = 0;
  virtual void on_parse_failure(inbound_parse_failure&& f) = 0;
  virtual void on_transport_error(const transport_error_event& e) = 0;
};

/// One transport instance: one protocol over one or more local addresses.
class transport {
 public:
  virtual ~transport() = default;
  transport() = default;
  transport(const transport&) = delete;
  transport& operator=(const transport&) = delete;

  [[nodiscard]] virtual transport_protocol protocol() const noexcept = 0;
  /// The addresses it listens on, with the ports the OS chose for port 0.
  /// Valid until the next start()/close().
  [[nodiscard]] virtual std::span<const socket_address> local_addresses() const noexcept = 0;

  /// Starts delivering to `user`. Errors: binding errors (system category,
  /// e.g. address_in_use), transport_errc::closed after close().
  virtual std::error_code start(transport_user& user) = 0;

  /// Sends `bytes` (one whole SIP message) to `destination`. The bytes are
  /// copied or sent before the call returns; the caller may reuse them.
  /// Returns an error for what is known at once (transport_errc::
  /// message_too_large, no_socket_for_family, closed, send_queue_full, or a
  /// system error); errors found later arrive as on_transport_error.
  virtual std::error_code send(const socket_address& destination, std::string_view bytes) = 0;

  /// The same for a target known by name. The default ignores the name;
  /// TLS overrides it. (Derived classes add `using transport::send;`.)
  virtual std::error_code send(const send_target& target, std::string_view bytes) {
    return send(target.address, bytes);
  }

  /// True when a connection to `remote` is open (or opening), so that
  /// send(remote, ...) reuses it (RFC 3261 §18.2.2). Connectionless
  /// transports: always false.
  [[nodiscard]] virtual bool has_connection(const socket_address& remote) const {
    (void)remote;
    return false;
  }

  /// Stops receiving and drops queued output; no event is delivered after
  /// close() returns. Idempotent.
  virtual void close() noexcept = 0;
};

namespace detail {
/// Parses `bytes` (which it takes ownership of) and hands the result to
/// `user`. Datagrams holding only CR/LF (keep-alives) are ignored. Shared by
/// the transports so they behave the same.
void deliver_datagram(transport_user& user, const transport_origin& origin,
                      std::shared_ptr<const std::string> bytes, const parse_options& options);
}  // namespace detail

}  // namespace sipua
