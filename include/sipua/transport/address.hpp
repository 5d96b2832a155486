// Neutral address types: IP addresses, socket addresses and the transport
// protocol, with no Asio or socket header, so every layer above can name a
// peer without seeing the I/O library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

#include "sipua/result.hpp"
#include "sipua/transport/error.hpp"

namespace sipua {

enum class ip_family : std::uint8_t { v4, v6 };

/// An IPv4 or IPv6 address, stored in network byte order. Scope ids
/// (link-local "fe80::1%eth0") are not supported yet.
class ip_address {
 public:
  /// 0.0.0.0
  constexpr ip_address() noexcept = default;

  static ip_address v4(std::array<std::uint8_t, 4> bytes) noexcept;
  static ip_address v6(const std::array<std::uint8_t, 16>& bytes) noexcept;
  static ip_address loopback_v4() noexcept { return v4({127, 0, 0, 1}); }
  static ip_address loopback_v6() noexcept;
  static ip_address any_v4() noexcept { return {}; }
  static ip_address any_v6() noexcept { return v6({}); }

  /// Parses a dotted-quad IPv4 literal ("192.0.2.1", no leading zeros) or
  /// an IPv6 literal ("::1", "2001:db8::1", "::ffff:192.0.2.1"), with or
  /// without brackets. Error: transport_errc::bad_address.
  static result<ip_address, std::error_code> parse(std::string_view text) noexcept;

  [[nodiscard]] ip_family family() const noexcept { return family_; }
  [[nodiscard]] bool is_v4() const noexcept { return family_ == ip_family::v4; }
  [[nodiscard]] bool is_v6() const noexcept { return family_ == ip_family::v6; }
  [[nodiscard]] bool is_loopback() const noexcept;
  [[nodiscard]] bool is_unspecified() const noexcept;
  /// 4 bytes for v4, 16 for v6; the rest of the storage is zero.
  [[nodiscard]] const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }

  /// "192.0.2.1" or the RFC 5952 form of an IPv6 address ("2001:db8::1"),
  /// without brackets.
  [[nodiscard]] std::string to_string() const;
  /// As in a SIP URI or Via host: IPv6 in brackets ("[::1]"), RFC 3261 §25.1.
  [[nodiscard]] std::string to_uri_string() const;

  friend bool operator==(const ip_address&, const ip_address&) noexcept = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
  ip_family family_ = ip_family::v4;
};

/// An IP address and a port (0 means "any port" when binding).
class socket_address {
 public:
  constexpr socket_address() noexcept = default;
  socket_address(ip_address address, std::uint16_t port) noexcept
      : address_(address), port_(port) {}

  /// Parses "192.0.2.1:5060" or "[2001:db8::1]:5060". The port is required
  /// (0..65535, digits only); an IPv6 address must be bracketed.
  /// Errors: transport_errc::bad_address, transport_errc::bad_port.
  static result<socket_address, std::error_code> parse(std::string_view text) noexcept;

  [[nodiscard]] const ip_address& address() const noexcept { return address_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] ip_family family() const noexcept { return address_.family(); }

  /// "192.0.2.1:5060" or "[::1]:5060"; parse(to_string()) gives it back.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const socket_address&, const socket_address&) noexcept = default;

 private:
  ip_address address_;
  std::uint16_t port_ = 0;
};

/// The transports of RFC 3261 §18 (and RFC 7118 WebSocket).
enum class transport_protocol : std::uint8_t { udp, tcp, tls, ws, wss };

/// The Via transport token (RFC 3261 §20.42, RFC 7118 §5.1): "UDP", "TCP",
/// "TLS", "WS", "WSS".
std::string_view via_token(transport_protocol p) noexcept;
/// The protocol for a Via / transport= token, case-insensitive
/// (RFC 3261 §7.3.1 tokens compare case-insensitively).
result<transport_protocol, std::error_code> parse_transport_token(std::string_view token) noexcept;
/// Reliable transports (everything but UDP) need no retransmissions of
/// requests and responses (RFC 3261 §17.1.1.2, §17.1.2.2: Timers A and E
/// only over unreliable transports).
constexpr bool is_reliable(transport_protocol p) noexcept { return p != transport_protocol::udp; }
/// TLS and WSS protect the hop (RFC 3261 §26.2.1).
constexpr bool is_secure(transport_protocol p) noexcept {
  return p == transport_protocol::tls || p == transport_protocol::wss;
}
/// Stream transports need the stream framer (RFC 3261 §18.3).
constexpr bool is_stream(transport_protocol p) noexcept { return p != transport_protocol::udp; }
/// 5060 for UDP/TCP, 5061 for TLS (RFC 3261 §19.1.2), 80 / 443 for WS / WSS.
constexpr std::uint16_t default_port(transport_protocol p) noexcept {
  switch (p) {
    case transport_protocol::tls: return 5061;
    case transport_protocol::ws: return 80;
    case transport_protocol::wss: return 443;
    default: return 5060;
  }
}

}  // namespace sipua

template <>
struct std::hash<sipua::ip_address> {
  std::size_t operator()(const sipua::ip_address& a) const noexcept;
};
template <>
struct std::hash<sipua::socket_address> {
  std::size_t operator()(const sipua::socket_address& a) const noexcept;
};
