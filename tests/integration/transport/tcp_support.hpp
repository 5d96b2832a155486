// Helpers for the TCP transport tests: a raw Asio client that writes exact
// byte sequences (whole or split) and records what comes back.
#pragma once

#include <array>
#include <deque>
#include <string>
#include <system_error>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "sipua/transport/address.hpp"

namespace sipua::test {

inline asio::ip::tcp::endpoint to_tcp_endpoint(const socket_address& a) {
  return {asio::ip::make_address(a.address().to_string()), a.port()};
}

inline socket_address from_tcp_endpoint(const asio::ip::tcp::endpoint& e) {
  return *socket_address::parse(
      e.address().is_v6() ? "[" + e.address().to_string() + "]:" + std::to_string(e.port())
                          : e.address().to_string() + ":" + std::to_string(e.port()));
}

/// A plain TCP client on the test's io_context. Writes go out in order,
/// one async_write per chunk; reads accumulate in `received` until the
/// peer closes (`closed`, `close_error`: eof or connection_reset).
/// Must be destroyed before the io_context runs again (handlers use this).
class raw_client {
 public:
  explicit raw_client(asio::io_context& io) : socket_(io) {}

  /// Connects synchronously (loopback: the kernel completes it) and starts
  /// reading.
  void connect(const socket_address& server) {
    socket_.connect(to_tcp_endpoint(server));
    read();
  }
  void write(std::string chunk) {
    out_.push_back(std::move(chunk));
    pump();
  }
  [[nodiscard]] bool all_written() const { return out_.empty() && !writing_; }
  [[nodiscard]] socket_address local() const { return from_tcp_endpoint(socket_.local_endpoint()); }
  /// Closes with an RST (SO_LINGER 0).
  void reset() {
    socket_.set_option(asio::socket_base::linger(true, 0));
    socket_.close();
  }
  void close() { socket_.close(); }

  std::string received;
  bool closed = false;
  std::error_code close_error;

 private:
  void read() {
    socket_.async_read_some(asio::buffer(buf_), [this](const std::error_code& ec, std::size_t n) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        closed = true;
        close_error = ec;
        return;
      }
      received.append(buf_.data(), n);
      read();
    });
  }
  void pump() {
    if (writing_ || out_.empty()) return;
    writing_ = true;
    asio::async_write(socket_, asio::buffer(out_.front()),
                      [this](const std::error_code& ec, std::size_t) {
                        if (ec == asio::error::operation_aborted) return;
                        writing_ = false;
                        if (ec) return;
                        out_.pop_front();
                        pump();
                      });
  }

  asio::ip::tcp::socket socket_;
  std::array<char, 4096> buf_{};
  std::deque<std::string> out_;
  bool writing_ = false;
};

}  // namespace sipua::test
