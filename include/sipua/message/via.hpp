// Via (RFC 3261 §20.42, §25.1 via-parm; RFC 3581 rport; RFC 5118 §4.5).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sipua/message/host.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// One via-parm. Every view points into the text given to parse_via.
struct via {
  std::string_view protocol_name;     ///< "SIP" as written
  std::string_view protocol_version;  ///< "2.0" as written
  std::string_view transport;         ///< "UDP", "TCP", "TLS", "SCTP", "WS", ... as written
  std::string_view host;              ///< sent-by host; an IPv6 reference keeps its brackets
  host_type host_kind = host_type::name;
  std::optional<std::uint16_t> port;   ///< sent-by port, if written
  std::string_view branch;             ///< empty when there is no branch parameter
  std::string_view received;           ///< as written (brackets kept if the sender used them)
  bool has_rport = false;              ///< rport present, with or without a value (RFC 3581)
  std::optional<std::uint16_t> rport;  ///< the value, when the parameter has one
  std::string_view maddr;
  std::optional<std::uint8_t> ttl;
  param_list params;  ///< every parameter as written, in order
};

/// Parses one via-parm (one element of a Via header value; use comma_list to
/// split a field that carries several). Leading and trailing LWS is skipped;
/// LWS (folded or not) may sit around each '/' of sent-protocol, around the
/// sent-by ':' and around ';' and '=' of the parameters (RFC 3261 §25.1
/// SLASH, COLON, SEMI, EQUAL). The protocol name and version are any token
/// (checking for "SIP/2.0" and answering 505 is the UAS's job).
///
/// Errors, with the offset into `text` of the first character that does not
/// fit:
/// - bad_header_value: sent-protocol is not token SLASH token SLASH token;
///   no LWS before sent-by; sent-by host is not a hostname, IPv4address or
///   bracketed IPv6reference; port not 1-5 digits in 0..65535; text left
///   over after the parameters (a ',' included). An empty text fails at 0.
/// - bad_param: a parameter is not a generic-param (";;" fails at the
///   second ';'), or branch is not a token, received is not an IPv4 or IPv6
///   address (with or without brackets, RFC 5118 §4.5), rport's value is not
///   a port, maddr is not a host, ttl is not 1-3 digits in 0..255. For a
///   known parameter the offset is that of its value (its name if it has
///   none).
/// When a known parameter appears twice, every copy is checked and the first
/// one fills the field. Every view points into `text`; no allocation.
parse_result<via> parse_via(std::string_view text) noexcept;

/// Checks a whole Via header value: every comma-separated element must be a
/// via-parm (an empty element is an error: RFC 4475 badinv01
/// "SIP/2.0/UDP 192.0.2.15;;,;,,"). Returns the number of via-parms, or the
/// first error with its offset into `value`.
parse_result<std::size_t> validate_via_list(std::string_view value) noexcept;

}  // namespace sipua
