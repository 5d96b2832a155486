// An in-memory transport for tests of the layers above: transports attached
// to one memory_network exchange datagrams through a FIFO queue that the
// caller drives (deliver_one / deliver_all). No Asio, no sockets, no clock.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "sipua/transport/transport.hpp"

namespace sipua {

class memory_transport;

/// The wire. Single-threaded. Must outlive its transports.
class memory_network {
 public:
  memory_network() = default;
  memory_network(const memory_network&) = delete;
  memory_network& operator=(const memory_network&) = delete;

  /// Delivers the oldest datagram in flight. A datagram to an address
  /// where no started transport listens is dropped and the sender gets a
  /// transport_error_event (std::errc::connection_refused, with the peer),
  /// like an ICMP port unreachable. Returns false when nothing was queued.
  bool deliver_one();
  /// Delivers until the queue is empty, including datagrams sent by the
  /// handlers meanwhile; stops after `limit` deliveries (a ping-pong loop
  /// would otherwise never end). Returns how many were delivered.
  std::size_t deliver_all(std::size_t limit = 1'000'000);
  /// Datagrams in flight.
  [[nodiscard]] std::size_t in_flight() const noexcept { return queue_.size(); }
  /// Drops every datagram in flight (loss). Returns how many.
  std::size_t drop_all() noexcept;

 private:
  friend class memory_transport;
  struct datagram {
    transport_protocol protocol;
    socket_address from;
    socket_address to;
    std::string bytes;
  };
  std::deque<datagram> queue_;
  std::unordered_map<socket_address, memory_transport*> bound_;
};

/// One endpoint on a memory_network, listening on one address. Any
/// transport_protocol can be simulated (the messages are still whole
/// datagrams; is_reliable() of the protocol is only what it reports).
class memory_transport final : public transport {
 public:
  memory_transport(memory_network& network, socket_address local,
                   transport_protocol protocol = transport_protocol::udp,
                   parse_options options = {});
  ~memory_transport() override;

  [[nodiscard]] transport_protocol protocol() const noexcept override { return protocol_; }
  [[nodiscard]] std::span<const socket_address> local_addresses() const noexcept override {
    return {&local_, 1};
  }
  /// Errors: std::errc::address_in_use when another transport on the
  /// network holds the address, transport_errc::closed after close().
  std::error_code start(transport_user& user) override;
  /// Queues a copy of `bytes`. Errors: transport_errc::closed (not started
  /// or closed), transport_errc::no_socket_for_family (v4 to v6 or back).
  using transport::send;
  std::error_code send(const socket_address& destination, std::string_view bytes) override;
  void close() noexcept override;

 private:
  friend class memory_network;
  memory_network& network_;
  socket_address local_;
  transport_protocol protocol_;
  parse_options options_;
  transport_user* user_ = nullptr;
  bool closed_ = false;
};

}  // namespace sipua
