// Conversions between the neutral address types and Asio endpoints. Private
// to src/transport and src/runtime.
#pragma once

#include <asio/ip/address.hpp>
#include <asio/ip/udp.hpp>

#include "sipua/transport/address.hpp"

namespace sipua::detail {

/// Asio reports OS errors in its own "asio.system" category, which does not
/// compare equal to std::errc values. The transport hands errors up in
/// std::system_category (POSIX: the values are errno values).
inline std::error_code to_std(const std::error_code& ec) {
  if (ec && ec.category() == asio::error::get_system_category()) {
    return {ec.value(), std::system_category()};
  }
  return ec;
}

inline asio::ip::address to_asio(const ip_address& a) {
  if (a.is_v4()) {
    const auto& b = a.bytes();
    return asio::ip::address_v4{asio::ip::address_v4::bytes_type{b[0], b[1], b[2], b[3]}};
  }
  asio::ip::address_v6::bytes_type b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = a.bytes()[i];
  return asio::ip::address_v6{b};
}

inline ip_address from_asio(const asio::ip::address& a) {
  if (a.is_v4()) return ip_address::v4(a.to_v4().to_bytes());
  const auto b6 = a.to_v6().to_bytes();
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = b6[i];
  return ip_address::v6(b);
}

template <class Endpoint>
Endpoint to_endpoint(const socket_address& a) {
  return Endpoint{to_asio(a.address()), a.port()};
}

template <class Endpoint>
socket_address from_endpoint(const Endpoint& e) {
  return socket_address{from_asio(e.address()), e.port()};
}

}  // namespace sipua::detail
