// One parser per line type (RFC 8866 §5, grammar in §9).
#include "fields.hpp"

#include "text.hpp"

namespace sipua::sdp::detail {

// §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
sdp_result<origin> parse_origin_value(std::string_view body, std::string_view value) {
  std::string_view rest = value, f[6];
  for (auto& field : f) {
    if (!next_field(rest, field)) return sdp_failure(sdp_errc::bad_origin, offset_in(body, value));
  }
  if (!rest.empty()) return sdp_failure(sdp_errc::bad_origin, offset_in(body, rest));
  if (!is_non_ws_string(f[0])) return sdp_failure(sdp_errc::bad_origin, offset_in(body, f[0]));
  const auto id = parse_u64(f[1]);
  if (!id) return sdp_failure(sdp_errc::bad_origin, offset_in(body, f[1]));
  const auto version = parse_u64(f[2]);
  if (!version) return sdp_failure(sdp_errc::bad_origin, offset_in(body, f[2]));
  for (int i : {3, 4}) {
    if (!is_token(f[i])) return sdp_failure(sdp_errc::bad_origin, offset_in(body, f[i]));
  }
  if (!is_non_ws_string(f[5])) return sdp_failure(sdp_errc::bad_origin, offset_in(body, f[5]));
  return origin{std::string(f[0]), *id, *version, std::string(f[3]), std::string(f[4]),
                std::string(f[5])};
}

// §5.7: c=<nettype> <addrtype> <connection-address>. The address is kept as
// written (multicast "/ttl/count" included, FQDNs allowed).
sdp_result<connection> parse_connection_value(std::string_view body, std::string_view value) {
  std::string_view rest = value, f[3];
  for (auto& field : f) {
    if (!next_field(rest, field))
      return sdp_failure(sdp_errc::bad_connection, offset_in(body, value));
  }
  if (!rest.empty()) return sdp_failure(sdp_errc::bad_connection, offset_in(body, rest));
  for (int i : {0, 1}) {
    if (!is_token(f[i])) return sdp_failure(sdp_errc::bad_connection, offset_in(body, f[i]));
  }
  if (!is_non_ws_string(f[2])) return sdp_failure(sdp_errc::bad_connection, offset_in(body, f[2]));
  // An IPv6 literal holds ':'; an IPv4 one never does (§5.7 grammar:
  // IP4-address / FQDN for IP4).
  if (iequals(f[1], "IP4") && f[2].find(':') != std::string_view::npos)
    return sdp_failure(sdp_errc::bad_connection, offset_in(body, f[2]));
  return connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

// §5.8: b=<bwtype>:<bandwidth>
sdp_result<bandwidth> parse_bandwidth_value(std::string_view body, std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos || !is_token(value.substr(0, colon)))
    return sdp_failure(sdp_errc::bad_bandwidth, offset_in(body, value));
  const auto number = value.substr(colon + 1);
  const auto v = parse_u64(number);
  if (!v) return sdp_failure(sdp_errc::bad_bandwidth, offset_in(body, number));
  return bandwidth{std::string(value.substr(0, colon)), *v};
}

// §5.9: t=<start-time> <stop-time>
sdp_result<timing> parse_timing_value(std::string_view body, std::string_view value) {
  std::string_view rest = value, start, stop;
  if (!next_field(rest, start) || !next_field(rest, stop))
    return sdp_failure(sdp_errc::bad_timing, offset_in(body, value));
  if (!rest.empty()) return sdp_failure(sdp_errc::bad_timing, offset_in(body, rest));
  const auto a = parse_u64(start);
  if (!a) return sdp_failure(sdp_errc::bad_timing, offset_in(body, start));
  const auto b = parse_u64(stop);
  if (!b) return sdp_failure(sdp_errc::bad_timing, offset_in(body, stop));
  return timing{*a, *b, {}};
}

// §5.13: a=<attribute-name>[:<attribute-value>]
sdp_result<attribute> parse_attribute_value(std::string_view body, std::string_view value) {
  const auto colon = value.find(':');
  const auto name = value.substr(0, colon);
  if (!is_token(name)) return sdp_failure(sdp_errc::bad_attribute, offset_in(body, value));
  if (colon == std::string_view::npos) return attribute{std::string(name), {}, false};
  return attribute{std::string(name), std::string(value.substr(colon + 1)), true};
}

namespace {

// proto = token *("/" token)
bool is_proto(std::string_view s) noexcept {
  std::size_t start = 0;
  for (;;) {
    const auto slash = s.find('/', start);
    if (!is_token(s.substr(start, slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

// §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
sdp_result<media_description> parse_media_value(std::string_view body, std::string_view value,
                                                std::size_t max_formats) {
  std::string_view rest = value, media, port, proto;
  if (!next_field(rest, media) || !next_field(rest, port) || !next_field(rest, proto) ||
      rest.empty())
    return sdp_failure(sdp_errc::bad_media, offset_in(body, value));
  if (!is_token(media)) return sdp_failure(sdp_errc::bad_media, offset_in(body, media));
  media_description m;
  m.media = std::string(media);
  const auto slash = port.find('/');
  const auto p = parse_u64(port.substr(0, slash));
  if (!p || *p > 65535) return sdp_failure(sdp_errc::bad_media, offset_in(body, port));
  m.port = static_cast<std::uint16_t>(*p);
  if (slash != std::string_view::npos) {
    const auto count = port.substr(slash + 1);
    const auto n = parse_u32(count);
    if (!n || count[0] == '0') return sdp_failure(sdp_errc::bad_media, offset_in(body, count));
    m.port_count = *n;
  }
  if (!is_proto(proto)) return sdp_failure(sdp_errc::bad_media, offset_in(body, proto));
  m.proto = std::string(proto);
  std::string_view fmt;
  while (next_field(rest, fmt)) {
    if (!is_token(fmt)) return sdp_failure(sdp_errc::bad_media, offset_in(body, fmt));
    if (m.formats.size() >= max_formats)
      return sdp_failure(sdp_errc::too_many_formats, offset_in(body, fmt));
    m.formats.emplace_back(fmt);
  }
  return m;
}

}  // namespace sipua::sdp::detail
