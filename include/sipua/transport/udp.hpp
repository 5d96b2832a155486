// The UDP transport on Asio (RFC 3261 §18 over UDP). Asio stays in the .cpp:
// this header only names asio::io_context, which the application hands in.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

#include "sipua/message/message.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"

namespace asio {
class io_context;
}

namespace sipua {

/// UDP settings. Defaults are what a UA on a busy host wants.
struct udp_config {
  /// Local addresses to bind, IPv4 and IPv6 in any mix; port 0 lets the OS
  /// choose (see local_addresses()). IPv6 sockets are IPV6_V6ONLY so a v4
  /// and a v6 socket can share a port.
  std::vector<socket_address> listen;
  /// SO_RCVBUF to ask for, in bytes (0 keeps the OS default). Linux caps it
  /// at net.core.rmem_max and reports twice the value it keeps; see
  /// udp_transport::receive_buffer_size().
  std::size_t receive_buffer_size = std::size_t{2} << 20;
  /// SO_SNDBUF to ask for (0 keeps the OS default).
  std::size_t send_buffer_size = 0;
  /// SO_REUSEPORT: several transports (UA shards, one per core) bind the
  /// same address and the kernel spreads datagrams over them.
  bool reuse_port = false;
  /// Largest datagram received or sent; the receive buffer of each socket
  /// is this size plus one (a longer datagram is reported as a parse
  /// failure with parse_errc::message_too_large). 65507 is the UDP/IPv4
  /// payload maximum.
  std::size_t max_datagram_size = 65507;
  /// Datagrams kept while the socket's send buffer is full; past it send()
  /// fails with transport_errc::send_queue_full.
  std::size_t max_send_queue = 1024;
  /// How received datagrams are parsed.
  parse_options parse;
};

/// Listens on every configured address; sends from the first socket of the
/// destination's address family.
///
/// Lifetimes: `io` must outlive the transport. Pending Asio operations hold
/// the socket state, not the transport, so destroying the transport (or
/// close()) while operations are pending is safe; their handlers run
/// (aborted) on the next run of `io`, or are freed with it.
///
/// Errors reported up (transport_user::on_transport_error):
/// - ICMP port / host / network unreachable for an earlier send: on Linux
///   IP_RECVERR / IPV6_RECVERR is set and the error queue names the
///   destination, so the event carries `peer` and std::errc::
///   connection_refused (host_unreachable, network_unreachable ...);
///   elsewhere the error arrives on the next receive without a peer;
/// - any other receive error (without a peer); unexpected ones stop the
///   receive loop of that socket.
class udp_transport final : public transport {
 public:
  udp_transport(asio::io_context& io, udp_config config);
  ~udp_transport() override;

  [[nodiscard]] transport_protocol protocol() const noexcept override {
    return transport_protocol::udp;
  }
  [[nodiscard]] std::span<const socket_address> local_addresses() const noexcept override;
  /// Opens and binds every listen address, then starts one receive loop
  /// per socket. On error nothing stays open. Errors: transport_errc::
  /// bad_address for an empty listen list, transport_errc::closed after
  /// close(), std::errc::invalid_argument when already started, system
  /// errors from socket/bind/setsockopt (e.g. address_in_use).
  std::error_code start(transport_user& user) override;
  using transport::send;
  std::error_code send(const socket_address& destination, std::string_view bytes) override;
  void close() noexcept override;

  /// SO_RCVBUF as the OS reports it for socket `index` (order of
  /// local_addresses()), or 0 if there is no such socket.
  [[nodiscard]] std::size_t receive_buffer_size(std::size_t index) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sipua
