// host = hostname / IPv4address / IPv6reference  (RFC 3261 §25.1, RFC 5118)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sipua {

enum class host_type : std::uint8_t { name, ipv4, ipv6 };

/// Classifies and validates a host as written in a SIP URI or Via sent-by.
/// IPv6 must be a bracketed reference "[...]" (RFC 5118 §4.2). Per RFC 5118
/// §4.10 the RFC 3261 ABNF's extra-colon form ("[2001:db8:::192.0.2.1]") is
/// tolerated. Returns nullopt when `host` is none of the three.
std::optional<host_type> classify_host(std::string_view host) noexcept;

/// Validates an IPv6 address without brackets (IPv6address of RFC 3261 §25.1,
/// with the RFC 5118 §4.10 tolerance). Used for Via received= (RFC 5118 §4.5).
bool is_ipv6_address(std::string_view s) noexcept;

/// Validates a dotted-quad IPv4 address (each part 0..255, 1-3 digits).
bool is_ipv4_address(std::string_view s) noexcept;

/// Splits "host[:port]" (host possibly an IPv6 reference). Returns false if
/// the port is present but not 1-5 digits in 0..65535 or the host is empty.
bool split_host_port(std::string_view s, std::string_view& host,
                     std::optional<std::uint16_t>& port) noexcept;

}  // namespace sipua
