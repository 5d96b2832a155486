// The TCP transport on Asio (RFC 3261 §18 over TCP). Asio stays in the .cpp
// files: this header only names asio::io_context, which the application
// hands in.
//
// One transport listens on any number of IPv4/IPv6 addresses and connects
// on demand. It keeps ONE table of connections keyed by the remote socket
// address, used in both directions (RFC 3261 §18.2.2: a response goes back
// over the connection the request came in on; §18.1.1: a request to a peer
// we already have a connection with reuses it). Each connection cuts its
// stream into messages with stream_framer (RFC 3261 §18.3), parses each with
// parse_datagram and answers CRLF keep-alive pings (RFC 5626 §3.5.1).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

#include "sipua/message/framer.hpp"
#include "sipua/message/message.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"

namespace asio {
class io_context;
}

namespace sipua {

/// TCP settings and limits. A duration of zero disables that timeout.
struct tcp_config {
  /// Local addresses to listen on, IPv4 and IPv6 in any mix; port 0 lets the
  /// OS choose (see local_addresses()). IPv6 listeners are IPV6_V6ONLY.
  /// Empty: a client-only transport (it still accepts nothing, and sends
  /// over connections it opens).
  std::vector<socket_address> listen;
  /// Most connections open at once, inbound and outbound together. An
  /// accepted connection past it is closed at once (no event); a send()
  /// that would open one fails with transport_errc::too_many_connections.
  std::size_t max_connections = 1024;
  /// Per-connection framing limits (stream_framer): at most
  /// framing.max_buffered bytes are buffered per connection for a message
  /// that spans reads. A stream that breaks them is a parse failure and
  /// the connection is closed.
  framer_limits framing;
  /// Bytes read from the socket at a time; one such buffer per connection.
  std::size_t read_buffer_size = 8192;
  /// A connection with no traffic either way for this long is closed
  /// (no event). Longer than the 95-120 s a RFC 5626 §4.4.1 client waits
  /// between keep-alives.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(300);
  /// Most time from the first byte of a message to its last: a peer that
  /// dribbles a header section forever is cut off (event std::errc::
  /// timed_out). 32 s is Timer B/F (64*T1, RFC 3261 §17.1.1.2).
  std::chrono::milliseconds message_timeout = std::chrono::seconds(32);
  /// Most time a connect() may take (event std::errc::timed_out).
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
  /// Messages queued per connection (while it connects, or while the
  /// socket is busy); past it send() fails with send_queue_full.
  std::size_t max_send_queue = 1024;
  /// After a parse failure was answered: the connection leaves the table,
  /// sends FIN and reads (discarding) until the peer closes, at most this
  /// long; then it is closed (no event). Avoids a RST that could destroy
  /// the answer.
  std::chrono::milliseconds linger_timeout = std::chrono::seconds(2);
  /// How received messages are parsed.
  parse_options parse;
};

/// TCP: server and client in one.
///
/// send(destination, bytes) uses the connection to `destination` when the
/// table has one (whoever opened it), else opens one and queues the bytes
/// until it is connected. Inbound messages carry origin.peer = the remote
/// address of their connection, so send(origin.peer, response) answers on
/// that same connection while it is open.
///
/// Errors reported up (transport_user::on_transport_error, with `peer` =
/// the connection's remote address): connect errors (connection_refused
/// ...), read and write errors (connection_reset ...), a connection closed
/// by the peer in the middle of a message (connection_aborted), and the
/// connect and message timeouts (timed_out). Every one closes the
/// connection (and drops its queued messages) before it is reported. A
/// clean close by the peer between messages and the idle timeout close
/// without an event.
///
/// A framing error (stream_framer) or a message that does not parse is
/// reported by on_parse_failure; for a framing error `bytes` holds the
/// bytes of the last read not consumed and error.offset counts from the
/// first byte of the connection. The user may answer (400 ...) from inside
/// the handler: what it sends then is still written, after which the
/// connection leaves the table and is shut down gracefully (FIN, then
/// input discarded until the peer closes or linger_timeout passes);
/// nothing more is framed. Without an answer it is closed at once.
///
/// Lifetimes: `io` must outlive the transport. Pending Asio operations hold
/// the connection state, not the transport, so destroying or closing the
/// transport with operations pending is safe.
class tcp_transport final : public transport {
 public:
  tcp_transport(asio::io_context& io, tcp_config config);
  ~tcp_transport() override;

  [[nodiscard]] transport_protocol protocol() const noexcept override {
    return transport_protocol::tcp;
  }
  [[nodiscard]] std::span<const socket_address> local_addresses() const noexcept override;
  /// Opens, binds and listens on every listen address (SO_REUSEADDR), then
  /// starts accepting. On error nothing stays open. Errors:
  /// transport_errc::closed after close(), std::errc::invalid_argument when
  /// already started, system errors from socket/bind/listen.
  std::error_code start(transport_user& user) override;
  /// Errors returned: closed (not started, or closed), too_many_connections,
  /// send_queue_full. Everything else arrives as an event.
  using transport::send;
  std::error_code send(const socket_address& destination, std::string_view bytes) override;
  void close() noexcept override;

  /// Connections in the table (connecting, open, or writing their last
  /// bytes before closing).
  [[nodiscard]] std::size_t connection_count() const noexcept;
  /// True while some connection has messages queued or bytes not yet
  /// written: run the io_context until it is false before closing, or
  /// they are lost.
  [[nodiscard]] bool output_pending() const noexcept;
  /// True when the table has a connection to `remote`.
  [[nodiscard]] bool has_connection(const socket_address& remote) const override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sipua
