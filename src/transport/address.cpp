// Address parsing and formatting. inet_pton / inet_ntop do the literal
// grammar (RFC 791 dotted quad, RFC 4291 §2.2 text forms, RFC 5952 output);
// this file adds brackets, ports and the SIP transport tokens.
#include "sipua/transport/address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace sipua {
namespace {

class transport_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.transport"; }
  std::string message(int ev) const override {
    switch (static_cast<transport_errc>(ev)) {
      case transport_errc::ok: return "ok";
      case transport_errc::bad_address: return "not an IP address literal";
      case transport_errc::bad_port: return "bad or missing port";
      case transport_errc::no_socket_for_family: return "no local socket of that address family";
      case transport_errc::message_too_large: return "message over the maximum datagram size";
      case transport_errc::closed: return "transport closed";
      case transport_errc::send_queue_full: return "send queue full";
      case transport_errc::unknown_peer: return "no transport at that address";
      case transport_errc::host_not_found: return "host not found";
      case transport_errc::not_numeric: return "not a numeric address";
      case transport_errc::too_many_connections: return "too many connections";
      case transport_errc::bad_certificate: return "certificate does not parse";
      case transport_errc::protocol_taken:
        return "a transport for that protocol is already registered";
      case transport_errc::no_transport_for_protocol: return "no transport for that protocol";
      case transport_errc::name_resolution_required:
        return "destination is a host name: resolve it first (RFC 3263)";
    }
    return "unknown transport error";
  }
};

std::size_t hash_bytes(const std::array<std::uint8_t, 16>& b, std::size_t seed) noexcept {
  // FNV-1a over the 16 bytes.
  std::size_t h = seed ^ 1469598103934665603ULL;
  for (std::uint8_t c : b) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

const std::error_category& transport_category() noexcept {
  static const transport_category_impl category;
  return category;
}

ip_address ip_address::v4(std::array<std::uint8_t, 4> bytes) noexcept {
  ip_address a;
  std::memcpy(a.bytes_.data(), bytes.data(), 4);
  a.family_ = ip_family::v4;
  return a;
}

ip_address ip_address::v6(const std::array<std::uint8_t, 16>& bytes) noexcept {
  ip_address a;
  a.bytes_ = bytes;
  a.family_ = ip_family::v6;
  return a;
}

ip_address ip_address::loopback_v6() noexcept {
  std::array<std::uint8_t, 16> b{};
  b[15] = 1;
  return v6(b);
}

bool ip_address::is_loopback() const noexcept {
  if (is_v4()) return bytes_[0] == 127;
  return *this == loopback_v6();
}

bool ip_address::is_unspecified() const noexcept {
  for (std::uint8_t c : bytes_) {
    if (c != 0) return false;
  }
  return true;
}

result<ip_address, std::error_code> ip_address::parse(std::string_view text) noexcept {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    if (text.find(':') == std::string_view::npos) {
      return unexpected{make_error_code(transport_errc::bad_address)};  // "[1.2.3.4]"
    }
  }
  // INET6_ADDRSTRLEN (46) bounds every valid literal; longer is an error.
  char buf[64];
  if (text.empty() || text.size() >= sizeof buf) {
    return unexpected{make_error_code(transport_errc::bad_address)};
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<std::uint8_t, 16> b{};
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buf, b.data()) == 1) {
      return v4({b[0], b[1], b[2], b[3]});
    }
  } else if (inet_pton(AF_INET6, buf, b.data()) == 1) {
    return v6(b);
  }
  return unexpected{make_error_code(transport_errc::bad_address)};
}

std::string ip_address::to_string() const {
  char buf[64];
  const int af = is_v4() ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes_.data(), buf, sizeof buf) == nullptr) return {};
  return buf;
}

std::string ip_address::to_uri_string() const {
  if (is_v4()) return to_string();
  // Appended rather than "[" + s + "]", which trips gcc 12's -Wrestrict
  // false positive at -O2.
  std::string out;
  out.reserve(48);
  out.push_back('[');
  out.append(to_string());
  out.push_back(']');
  return out;
}

result<socket_address, std::error_code> socket_address::parse(std::string_view text) noexcept {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return unexpected{make_error_code(transport_errc::bad_address)};
    }
    host = text.substr(0, close + 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return unexpected{make_error_code(transport_errc::bad_port)};
    }
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
      return unexpected{make_error_code(transport_errc::bad_port)};
    }
    if (text.find(':', colon + 1) != std::string_view::npos) {
      return unexpected{make_error_code(transport_errc::bad_address)};  // IPv6 needs brackets
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  auto addr = ip_address::parse(host);
  if (!addr) return unexpected{addr.error()};
  if (port.empty() || port.size() > 5) return unexpected{make_error_code(transport_errc::bad_port)};
  std::uint32_t p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return unexpected{make_error_code(transport_errc::bad_port)};
    p = p * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (p > 65535) return unexpected{make_error_code(transport_errc::bad_port)};
  return socket_address{*addr, static_cast<std::uint16_t>(p)};
}

std::string socket_address::to_string() const {
  return address_.to_uri_string() + ":" + std::to_string(port_);
}

std::string_view via_token(transport_protocol p) noexcept {
  switch (p) {
    case transport_protocol::udp: return "UDP";
    case transport_protocol::tcp: return "TCP";
    case transport_protocol::tls: return "TLS";
    case transport_protocol::ws: return "WS";
    case transport_protocol::wss: return "WSS";
  }
  return "UDP";
}

result<transport_protocol, std::error_code> parse_transport_token(std::string_view token) noexcept {
  constexpr transport_protocol all[] = {transport_protocol::udp, transport_protocol::tcp,
                                        transport_protocol::tls, transport_protocol::ws,
                                        transport_protocol::wss};
  for (transport_protocol p : all) {
    const std::string_view name = via_token(p);
    if (name.size() != token.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      char c = token[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      same = c == name[i];
    }
    if (same) return p;
  }
  return unexpected{std::make_error_code(std::errc::protocol_not_supported)};
}

}  // namespace sipua

std::size_t std::hash<sipua::ip_address>::operator()(const sipua::ip_address& a) const noexcept {
  return sipua::hash_bytes(a.bytes(), a.is_v6() ? 6u : 4u);
}

std::size_t std::hash<sipua::socket_address>::operator()(
    const sipua::socket_address& a) const noexcept {
  return std::hash<sipua::ip_address>{}(a.address()) * 31u + a.port();
}
