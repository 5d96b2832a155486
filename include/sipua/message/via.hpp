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
  std::optional<std::uint16_t> port;  ///< sent-by port, if written
  std::string_view branch;            ///< empty when there is no branch parameter
  std::string_view received;          ///< as written (brackets kept if the sender used them)
  bool has_rport = false;             ///< rport present, with or without a value (RFC 3581)
  std::optional<std::uint16_t> rport; ///< the value, when the parameter has one
  std::string_view maddr;
  std::optional<std::uint8_t> ttl;
  param_list params;                  ///< every parameter as written, in order
};

/// Parses one via-parm (one element of a Via header value; use comma_list to
/// split a field that carries several). Errors: bad_header_value (sent-protocol
/// or sent-by), bad_param (a parameter's grammar, or branch/received/rport/
/// maddr/ttl out of their ranges), with the offset into `text`.
parse_result<via> parse_via(std::string_view text) noexcept;

}  // namespace sipua
