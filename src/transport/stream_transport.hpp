// What tcp_transport and tls_transport share: the listeners, the
// connection table, send() and close(). Private to src/transport.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

#include "stream_connection.hpp"

namespace sipua::detail {

class stream_listener;

class stream_transport {
 public:
  stream_transport(asio::io_context& io, tcp_config config, transport_protocol protocol);
  ~stream_transport();

  /// TLS: the context new connections take their sessions from; set
  /// before start().
  void set_tls(std::shared_ptr<const tls_context> tls, std::chrono::milliseconds handshake_timeout);

  [[nodiscard]] std::span<const socket_address> local_addresses() const noexcept { return locals_; }
  std::error_code start(transport_user& user);
  /// Reuses the connection to `destination` or opens one. TLS: a client
  /// session for `server_name` (SNI and the RFC 5922 check; empty: the
  /// address is checked), and an open connection is reused only when it
  /// covers `server_name`.
  std::error_code send(const socket_address& destination, std::string_view server_name,
                       std::string_view bytes);
  void close() noexcept;

  [[nodiscard]] std::size_t connection_count() const noexcept { return core_->connections.size(); }
  [[nodiscard]] bool has_connection(const socket_address& remote) const {
    return core_->connections.contains(remote);
  }
  /// True while a connection in the table has messages queued or bytes
  /// being written (or is still connecting with messages for it).
  [[nodiscard]] bool output_pending() const noexcept {
    for (const auto& [remote, c] : core_->connections) {
      if (c->output_pending()) return true;
    }
    return false;
  }

 private:
  std::shared_ptr<stream_core> core_;
  std::vector<std::shared_ptr<stream_listener>> listeners_;
  std::vector<socket_address> locals_;
  bool closed_ = false;
  bool started_ = false;
};

}  // namespace sipua::detail
