#include "sipua/message/host.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {

using detail::cc_alpha;
using detail::cc_digit;
using detail::cc_hex;
using detail::is;

bool is_ipv4_address(std::string_view s) noexcept {
  // Four parts of 1-3 digits, each at most 255, joined by '.'.
  const std::size_t n = s.size();
  if (n < 7 || n > 15) return false;
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= n || s[i] != '.') return false;
      ++i;
    }
    unsigned v = 0;
    const std::size_t b = i;
    while (i < n && i - b < 3 && static_cast<unsigned char>(s[i] - '0') < 10)
      v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == b || v > 255) return false;
  }
  return i == n;
}

bool is_ipv6_address(std::string_view s) noexcept {
  // IPv6address = hexpart [ ":" IPv4address ]
  // hexpart = hexseq / hexseq "::" [ hexseq ] / "::" [ hexseq ]
  // hexseq = hex4 *( ":" hex4 ), hex4 = 1*4HEXDIG      (RFC 3261 §25.1)
  // RFC 5118 §4.10: "hexseq ':' IPv4address" after "::" may show three
  // colons in a row ("2001:db8:::192.0.2.1"); it is tolerated.
  if (s.size() < 2) return false;
  int groups = 0;
  bool double_colon = false;
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    double_colon = true;
    i = 2;
    if (i == s.size()) return true;
  }
  while (i < s.size()) {
    const std::size_t b = i;
    while (i < s.size() && is(s[i], cc_hex) && i - b < 5) ++i;
    if (i < s.size() && s[i] == '.') {
      // trailing IPv4 part
      if (!is_ipv4_address(s.substr(b))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (i == b || i - b > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (double_colon) return false;
      double_colon = true;
      ++i;
      // RFC 5118 §4.10: the RFC 3261 ABNF (hexseq "::" then ":" IPv4address)
      // allows a third colon, but only right before the IPv4 part.
      if (i < s.size() && s[i] == ':') {
        if (!is_ipv4_address(s.substr(i + 1))) return false;
        return groups + 2 <= 7;  // "::" stands for at least one group
      }
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  return double_colon ? groups <= 7 : groups == 8;
}

std::optional<host_type> classify_host(std::string_view h) noexcept {
  if (h.empty()) return std::nullopt;
  if (h.front() == '[') {
    if (h.size() < 4 || h.back() != ']') return std::nullopt;
    if (!is_ipv6_address(h.substr(1, h.size() - 2))) return std::nullopt;
    return host_type::ipv6;
  }
  if (is_ipv4_address(h)) return host_type::ipv4;
  // hostname = *( domainlabel "." ) toplabel [ "." ]
  // domainlabel = alphanum / alphanum *( alphanum / "-" ) alphanum
  // toplabel = ALPHA / ALPHA *( alphanum / "-" ) alphanum
  std::size_t label_begin = 0;
  std::size_t last_label_begin = 0;
  for (std::size_t i = 0; i <= h.size(); ++i) {
    if (i == h.size() || h[i] == '.') {
      if (i == label_begin) {
        // empty label: only allowed as the optional trailing dot
        if (i == h.size() && i > 0) break;
        return std::nullopt;
      }
      if (h[i - 1] == '-') return std::nullopt;
      last_label_begin = label_begin;
      label_begin = i + 1;
      continue;
    }
    const char c = h[i];
    if (is(c, cc_alpha) || is(c, cc_digit)) continue;
    if (c == '-' && i != label_begin) continue;
    return std::nullopt;
  }
  if (!is(h[last_label_begin], cc_alpha)) return std::nullopt;
  return host_type::name;
}

bool split_host_port(std::string_view s, std::string_view& host,
                     std::optional<std::uint16_t>& port) noexcept {
  std::size_t colon = std::string_view::npos;
  if (!s.empty() && s.front() == '[') {
    const std::size_t rb = s.find(']');
    if (rb == std::string_view::npos) return false;
    if (rb + 1 < s.size()) {
      if (s[rb + 1] != ':') return false;
      colon = rb + 1;
    }
  } else {
    colon = s.find(':');
  }
  host = s.substr(0, colon);
  port.reset();
  if (host.empty()) return false;
  if (colon != std::string_view::npos) {
    std::uint64_t v = 0;
    const std::string_view digits = s.substr(colon + 1);
    if (digits.size() > 5 || !detail::parse_uint(digits, 65535, v)) return false;
    port = static_cast<std::uint16_t>(v);
  }
  return true;
}

}  // namespace sipua
