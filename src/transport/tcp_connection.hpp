// One TCP connection of tcp_transport: framing, parsing, the send queue and
// the one timer (connect, message and idle timeouts). Private to
// src/transport.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "sipua/message/framer.hpp"
#include "sipua/transport/tcp.hpp"

namespace sipua::detail {

class tcp_connection;

/// What connections share with the transport; outlives it while handlers
/// are pending. `user` is null once closed: nothing is delivered after.
struct tcp_core {
  tcp_core(asio::io_context& i, tcp_config c) : io(i), config(std::move(c)) {}
  asio::io_context& io;
  tcp_config config;
  transport_user* user = nullptr;
  /// The one connection table, keyed by remote address.
  std::unordered_map<socket_address, std::shared_ptr<tcp_connection>> connections;
};

class tcp_connection : public std::enable_shared_from_this<tcp_connection> {
 public:
  using clock = std::chrono::steady_clock;

  /// An accepted connection (its socket is open).
  tcp_connection(std::shared_ptr<tcp_core> core, asio::ip::tcp::socket socket,
                 socket_address remote, socket_address local);
  /// An outbound connection, not connected yet.
  tcp_connection(std::shared_ptr<tcp_core> core, socket_address remote);

  /// Starts reading (accepted) or connecting (outbound).
  void start_accepted();
  void start_connect();
  /// Queues one message; send_queue_full past the limit.
  std::error_code enqueue(std::string_view bytes);
  /// Closes without an event; removes it from the table. Idempotent.
  void close() noexcept;

  [[nodiscard]] const socket_address& remote() const noexcept { return remote_; }

 private:
  void read();
  void on_read(const std::error_code& ec, std::size_t n);
  /// Feeds the framer; false when the connection stopped (closed, failed).
  bool frame(std::string_view bytes);
  bool deliver(std::string_view framed);
  void fail_parse(std::shared_ptr<const std::string> bytes, const parse_error& e);
  void linger();
  void discard();
  /// Leaves the connection table (if this is the entry for remote_).
  void detach() noexcept;
  void write();
  void on_write(const std::error_code& ec);
  /// Closes, then reports `ec` for the remote address.
  void fail(std::error_code ec);
  void arm_timer();
  void on_timer(std::uint64_t generation);
  [[nodiscard]] std::optional<clock::time_point> next_deadline() const;

  std::shared_ptr<tcp_core> core_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  socket_address remote_;
  socket_address local_;
  stream_framer framer_;
  std::vector<char> buffer_;
  std::deque<std::string> queue_;
  clock::time_point started_;                       ///< connect began
  clock::time_point last_activity_;                 ///< last byte read or written
  std::optional<clock::time_point> message_start_;  ///< first byte of a pending message
  std::optional<clock::time_point> armed_at_;       ///< when the timer fires
  std::uint64_t timer_generation_ = 0;
  bool connecting_ = false;
  bool writing_ = false;
  bool draining_ = false;   ///< write what is queued, then close; read nothing more
  bool lingering_ = false;  ///< answered, FIN sent, out of the table, reading to discard
  bool closed_ = false;
};

}  // namespace sipua::detail
